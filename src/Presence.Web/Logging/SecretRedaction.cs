using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Presence.Web.Logging;

/// <summary>
/// Keeps tokens out of every log line at every level (issue 9 §4): each logger provider is wrapped so that a message
/// and its structured values pass through <see cref="Redact"/> before any provider (console, test capture, …) sees
/// them. SignalR clients send their token in the <c>access_token</c> query parameter, which the hosting, routing and
/// SignalR loggers include in request URLs at Information, Debug and Trace level.
/// </summary>
public static partial class SecretRedaction
{
    /// <summary>What replaces a redacted value.</summary>
    public const string Mask = "[redacted]";

    /// <summary>
    /// Replaces the <c>ILoggerFactory</c> with one whose providers are all wrapped by the redaction, including providers
    /// registered later (a test's capture provider): they are collected when the factory is first resolved.
    /// Provider-specific filter rules (<c>Logging:Console:LogLevel</c>) no longer match by provider; <c>Logging:LogLevel</c> does.
    /// </summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new LoggerFactory(
            sp.GetServices<ILoggerProvider>().Select(p => (ILoggerProvider)new RedactingLoggerProvider(p)),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>())));
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

/// <summary>Wraps one provider's loggers with <see cref="SecretRedaction.Redact"/>.</summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope s) s.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var redacted = new RedactedState(SecretRedaction.Redact(formatter(state, exception)), state as IReadOnlyList<KeyValuePair<string, object?>>);
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
        }
    }

    /// <summary>The redacted message, and the structured values with every string redacted.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>>? values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values?.Count ?? 0;

        public KeyValuePair<string, object?> this[int index]
        {
            get
            {
                var pair = values![index];
                return pair.Value switch
                {
                    string s => new(pair.Key, SecretRedaction.Redact(s)),
                    null or ValueType => pair,
                    var other => new(pair.Key, SecretRedaction.Redact(other.ToString() ?? "")),
                };
            }
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
