using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Presence.Xmpp.Tests.Support;

/// <summary>Collects log lines so a failing test can show what the component did, or wait for a line.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly object _gate = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>
    /// The first line matching <paramref name="predicate"/>, waiting for it to be logged (a component logs after the
    /// state change a test awaits, on its own thread).
    /// </summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>; the message lists the lines.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task added;
            lock (_gate) added = _added.Task;
            if (Lines.FirstOrDefault(predicate) is { } line) return line;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(added, Task.Delay(left)) != added)
            {
                throw new TimeoutException($"no such log line within {timeout.TotalSeconds:0} s; the log:\n{this}");
            }
        }
    }

    private void Add(string line)
    {
        Lines.Enqueue(line);
        TaskCompletionSource added;
        lock (_gate)
        {
            added = _added;
            _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        added.TrySetResult();
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose() { }

    public override string ToString() => string.Join("\n", Lines);

    private sealed class Logger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
    }
}
