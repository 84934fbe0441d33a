using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Presence.Web.Configuration;

/// <summary>
/// Runs every options validator registered with <c>ValidateOnStart()</c> before the host starts (docs/ARCHITECTURE.md §11) and turns
/// the failures into one line per bad key on standard error — the key, what is wrong with its value and what is
/// expected — with no stack trace. Any options class added with <c>AddOptions&lt;T&gt;().…ValidateOnStart()</c> and
/// data annotations or an <see cref="IValidateOptions{TOptions}"/> takes part without further registration.
/// </summary>
internal static partial class StartupValidation
{
    /// <summary>Exit code of a start refused for invalid configuration.</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>
    /// Validates; on failure writes one line per bad key to <paramref name="error"/> and returns <c>false</c>, and the
    /// caller does not start the host (whose own start would repeat the failures with a stack trace).
    /// </summary>
    public static bool Passes(IServiceProvider services, TextWriter error)
    {
        var lines = Failures(services);
        foreach (var line in lines) error.WriteLine($"Invalid configuration: {line}");
        error.Flush();
        return lines.Count == 0;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> (<c>""</c> for the root) with the configuration
    /// binder and validates its data annotations on start; a value the binder cannot convert becomes a validation
    /// failure naming that key (one per bad key), so the start-up check goes on to the other sections.
    /// </summary>
    public static OptionsBuilder<T> BindValidated<T>(this OptionsBuilder<T> options, string section) where T : class =>
        options.Configure<IConfiguration>((o, configuration) => BindOrReport(section.Length == 0 ? configuration : configuration.GetSection(section), o))
            .ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Binds <paramref name="configuration"/> into <paramref name="options"/>, turning conversion errors into a validation failure per key.</summary>
    /// <exception cref="OptionsValidationException">A value does not convert to its property's type.</exception>
    public static void BindOrReport<T>(IConfiguration configuration, T options) where T : class
    {
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException first)
        {
            // Find every key that does not convert, property by property, to name them all.
            var failures = new List<string>();
            foreach (var property in typeof(T).GetProperties().Where(p => p.CanWrite))
            {
                var key = property.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false).OfType<ConfigurationKeyNameAttribute>().FirstOrDefault()?.Name ?? property.Name;
                try
                {
                    configuration.GetSection(key).Get(property.PropertyType);
                }
                catch (InvalidOperationException ex)
                {
                    Collect(ex, failures);
                }
            }
            if (failures.Count == 0) Collect(first, failures);
            throw new OptionsValidationException(Options.DefaultName, typeof(T), failures);
        }
    }

    /// <summary>Runs the registered start-up validators and lets their exception propagate (for a host run in-process).</summary>
    /// <exception cref="OptionsValidationException">An options class is invalid (several arrive as an <see cref="AggregateException"/>).</exception>
    public static void ThrowFailures(IServiceProvider services) => services.GetService<IStartupValidator>()?.Validate();

    /// <summary>The failures, one per bad key; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Failures(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (Exception ex)
        {
            var lines = new List<string>();
            Collect(ex, lines);
            return lines.Distinct().ToList();
        }
    }

    private static void Collect(Exception ex, List<string> lines)
    {
        switch (ex)
        {
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions) Collect(inner, lines);
                break;
            case OptionsValidationException validation:
                lines.AddRange(validation.Failures.Select(f => DataAnnotationFailure().Match(f) is { Success: true } d ? d.Groups["error"].Value : f));
                break;
            case InvalidOperationException when ConversionFailure().Match(ex.Message) is { Success: true } m:
                lines.Add(DescribeConversion(m.Groups["path"].Value, m.Groups["value"].Value, m.Groups["type"].Value));
                break;
            default:
                if (ex.InnerException is not null) Collect(ex.InnerException, lines);
                else lines.Add(ex.Message.ReplaceLineEndings(" "));
                break;
        }
    }

    private static string DescribeConversion(string path, string value, string type)
    {
        var expected = type switch
        {
            "System.TimeSpan" => "a time span such as 00:05:00 (hh:mm:ss) or 1.00:00:00 (d.hh:mm:ss)",
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.Double" => "a number",
            _ => $"a value of type {type}",
        };
        return $"{path}: '{value}' is not valid; expected {expected}.";
    }

    [GeneratedRegex("^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<error>.*)'\\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex("Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();
}
