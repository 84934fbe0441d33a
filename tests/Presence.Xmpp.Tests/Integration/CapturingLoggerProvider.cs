using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>A logger provider that keeps every line (to assert on what an operator would read) and can echo to the test output.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _lines = new();

    /// <summary>Optional sink for live output (e.g. xunit's test output).</summary>
    public Action<string>? Echo { get; set; }

    /// <summary>Every line so far.</summary>
    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => [.. _lines];

    /// <summary>A logger factory writing to this provider.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception) + (exception is null ? "" : " | " + exception.Message);
            owner._lines.Enqueue((logLevel, category, message));
            try { owner.Echo?.Invoke($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {message}"); }
            catch (InvalidOperationException) { } // xunit output after the test ended
        }
    }
}
