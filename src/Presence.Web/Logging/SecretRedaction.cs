using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Presence.Web.Logging;

/// <summary>
/// Keeps tokens out of every log line at every level (issue 9 §4): the logger factory is wrapped so that a message
/// and its structured values pass through <see cref="Redact"/> before any provider (console, test capture, …) sees
/// them. SignalR clients send their token in the <c>access_token</c> query parameter, which the hosting, routing and
/// SignalR loggers include in request URLs at Information, Debug and Trace level.
/// </summary>
internal static partial class SecretRedaction
{
    /// <summary>What replaces a redacted value.</summary>
    public const string Mask = "[redacted]";

    /// <summary>
    /// Replaces the <c>ILoggerFactory</c> with one that redacts every message before the framework's factory — with all
    /// providers, including ones registered later (a test's capture provider), and every filter rule, provider-specific
    /// ones (<c>Logging:Console:LogLevel</c>) included — passes it on.
    /// </summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        return services;
    }

    /// <summary>
    /// <paramref name="text"/> with secrets masked: the value of every <c>access_token=</c> parameter, the credentials
    /// after <c>Bearer </c>, and anything shaped like a zarafa-presence token (<c>{t}:{user}:{44-character MAC}</c>).
    /// </summary>
    public static string Redact(string text)
    {
        if (text.Length < 16) return text;
        var result = text;
        if (result.Contains("access_token", StringComparison.OrdinalIgnoreCase)) result = AccessToken().Replace(result, "${name}=" + Mask);
        if (result.Contains("Bearer", StringComparison.OrdinalIgnoreCase)) result = Bearer().Replace(result, "Bearer " + Mask);
        if (result.Contains(':')) result = PresenceToken().Replace(result, Mask);
        return result;
    }

    [GeneratedRegex(@"(?<name>access_token)=[^&\s""'#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccessToken();

    [GeneratedRegex(@"Bearer\s+[^\s""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"\d{1,20}(:|%3A)[^\s:]{1,3000}?(:|%3A)[A-Za-z0-9+/%]{40,60}(=|%3D)", RegexOptions.CultureInvariant)]
    private static partial Regex PresenceToken();
}
