using Microsoft.Extensions.Logging;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps everything a real provider could write: level, category, formatted message, every
/// structured value, scopes and the exception text. Registered like any provider, so it sees what console logging sees.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly List<string> _entries = [];
    private IExternalScopeProvider? _scopes;

    /// <summary>Every entry so far, one string each (message, values, scopes, exception).</summary>
    public IReadOnlyList<string> Entries { get { lock (_entries) return [.. _entries]; } }

    /// <summary>Entries of <paramref name="category"/> only.</summary>
    public IEnumerable<string> Of(string category) => Entries.Where(e => e.Contains($"[{category}]", StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder($"{logLevel} [{category}] {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values) text.Append($" | {key}={value}");
            }
            owner._scopes?.ForEachScope((scope, sb) => sb.Append($" | scope {scope}"), text);
            if (exception is not null) text.Append(" | ").Append(exception);
            lock (owner._entries) owner._entries.Add(text.ToString());
        }
    }
}

