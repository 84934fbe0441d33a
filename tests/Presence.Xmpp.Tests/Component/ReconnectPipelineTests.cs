using Microsoft.Extensions.Time.Testing;
using Presence.Xmpp.Resilience;

namespace Presence.Xmpp.Tests.Component;

/// <summary>The reconnect pipeline's timing (Polly.Core retry on a <see cref="FakeTimeProvider"/>).</summary>
public sealed class ReconnectPipelineTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(8);

    private sealed class Attempts
    {
        private readonly object _gate = new();
        private readonly List<TaskCompletionSource> _waiters = [];
        public int Count { get { lock (_gate) return _count; } }
        private int _count;

        public void Add()
        {
            lock (_gate)
            {
                _count++;
                foreach (var w in _waiters) w.TrySetResult();
                _waiters.Clear();
            }
        }

        public Task NextAsync()
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate) _waiters.Add(tcs);
            return tcs.Task;
        }
    }

    [Fact]
    public async Task FailuresAreRetriedAfterGrowingDelaysThatNeverExceedTheCap()
    {
        var time = new FakeTimeProvider();
        var scheduled = new Attempts(); // one per retry scheduled (Polly's OnRetry)
        var delays = new List<TimeSpan>();
        var pipeline = Backoff.Build(Initial, Max, time, onRetry: (_, delay, _) =>
        {
            lock (delays) delays.Add(delay);
            scheduled.Add();
            return default;
        });
        var attempts = new Attempts();
        using var stop = new CancellationTokenSource();
        var firstRetry = scheduled.NextAsync();
        var run = pipeline.ExecuteAsync(_ => { attempts.Add(); throw new IOException("connection refused"); }, stop.Token).AsTask();
        await firstRetry.WaitAsync(TimeSpan.FromSeconds(5));

        for (var retry = 0; retry < 6; retry++)
        {
            TimeSpan delay;
            lock (delays) delay = delays[retry];
            var d = Math.Min(Max.TotalSeconds, Initial.TotalSeconds * Math.Pow(2, retry));
            Assert.InRange(delay.TotalSeconds, d / 2, d);
            var nextAttempt = attempts.NextAsync();
            var nextRetry = scheduled.NextAsync();
            time.Advance(delay - TimeSpan.FromMilliseconds(1));
            Assert.False(nextAttempt.IsCompleted, $"retry {retry + 1} came before its delay of {delay.TotalSeconds:0.000} s");
            time.Advance(TimeSpan.FromMilliseconds(1));
            await nextAttempt.WaitAsync(TimeSpan.FromSeconds(5));
            await nextRetry.WaitAsync(TimeSpan.FromSeconds(5));
        }
        Assert.Equal(7, attempts.Count);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task AStopDuringTheWaitIsNeverRetried()
    {
        var time = new FakeTimeProvider();
        var scheduled = new Attempts();
        var pipeline = Backoff.Build(Initial, Max, time, onRetry: (_, _, _) => { scheduled.Add(); return default; });
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var firstRetry = scheduled.NextAsync();
        var run = pipeline.ExecuteAsync(_ => { Interlocked.Increment(ref attempts); throw new IOException("refused"); }, stop.Token).AsTask();
        await firstRetry.WaitAsync(TimeSpan.FromSeconds(5));

        stop.Cancel();
        time.Advance(TimeSpan.FromMinutes(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ASuccessEndsTheStreakSoTheNextFailureWaitsTheInitialDelayAgain()
    {
        var time = new FakeTimeProvider();
        var scheduled = new Attempts();
        var delays = new List<TimeSpan>();
        var pipeline = Backoff.Build(Initial, Max, time, onRetry: (_, delay, _) =>
        {
            lock (delays) delays.Add(delay);
            scheduled.Add();
            return default;
        });
        var failures = 0;
        var retry = scheduled.NextAsync();
        var first = pipeline.ExecuteAsync(_ =>
        {
            if (Interlocked.Increment(ref failures) <= 4) throw new IOException("refused");
            return ValueTask.CompletedTask;
        }).AsTask();
        for (var i = 0; i < 4; i++)
        {
            await retry.WaitAsync(TimeSpan.FromSeconds(5));
            retry = scheduled.NextAsync();
            TimeSpan delay;
            lock (delays) delay = delays[i];
            time.Advance(delay);
        }
        await first.WaitAsync(TimeSpan.FromSeconds(5));

        using var stop = new CancellationTokenSource();
        var second = pipeline.ExecuteAsync(_ => throw new IOException("refused"), stop.Token).AsTask();
        await retry.WaitAsync(TimeSpan.FromSeconds(5));

        lock (delays)
        {
            Assert.InRange(delays[3].TotalSeconds, 4, 8); // the fourth retry of the first streak
            Assert.InRange(delays[4].TotalSeconds, Initial.TotalSeconds / 2, Initial.TotalSeconds);
        }
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }
}
