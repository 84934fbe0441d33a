using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Presence.Web.Tests.Cluster;

/// <summary>Writes log lines, with the time and level, to a test's output.</summary>
internal sealed class OutputLoggerProvider(ITestOutputHelper output, string? prefix = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, prefix);

    public void Dispose() { }

    private sealed class Logger(ITestOutputHelper output, string? prefix) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try { output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {prefix}{logLevel} {formatter(state, exception)}"); }
            catch (InvalidOperationException) { } // the test has ended
        }
    }
}
