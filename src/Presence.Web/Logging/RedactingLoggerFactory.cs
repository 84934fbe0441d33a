using System.Collections;

namespace Presence.Web.Logging;

/// <summary>
/// Wraps the framework's <see cref="LoggerFactory"/>: each logger asks the inner logger whether a level is enabled (so
/// every filter rule applies as configured) and hands it the message with <see cref="SecretRedaction.Redact"/> applied.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

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
