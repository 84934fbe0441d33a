using Polly;
using Polly.Retry;

namespace Presence.Xmpp.Component;

/// <summary>
/// The reconnect policy of the component (DESIGN §4) as a Polly.Core retry pipeline: capped exponential backoff with
/// jitter — retry n (0-based) waits a random time in [d/2, d] where d = min(max, initial · 2ⁿ) — retrying every failure
/// except a cancellation (an intentional stop is never retried). One execution covers one streak of failures: an
/// execution that succeeds resets the attempt count for the next one.
/// </summary>
public static class ReconnectBackoff
{
    /// <summary>The delay before retry number <paramref name="attempt"/>.</summary>
    /// <param name="initial">Delay before the first retry (&gt; 0).</param>
    /// <param name="max">Cap (≥ <paramref name="initial"/>).</param>
    /// <param name="attempt">Retries so far in this streak, ≥ 0.</param>
    /// <param name="random">Jitter source; <see cref="Random.Shared"/> when <c>null</c>.</param>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int attempt, Random? random = null)
    {
        var capped = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        return TimeSpan.FromMilliseconds(capped / 2 + (random ?? Random.Shared).NextDouble() * capped / 2);
    }

    /// <summary>Builds the pipeline.</summary>
    /// <param name="initial">Delay before the first retry (&gt; 0).</param>
    /// <param name="max">Cap of the delay (≥ <paramref name="initial"/>).</param>
    /// <param name="time">Clock for the delays (a <c>FakeTimeProvider</c> in tests).</param>
    /// <param name="onRetry">Called before each wait with the failure and the delay (logging, link status).</param>
    public static ResiliencePipeline Build(TimeSpan initial, TimeSpan max, TimeProvider time, Func<Exception?, TimeSpan, int, ValueTask>? onRetry = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(initial, max, args.AttemptNumber)),
                OnRetry = args => onRetry is null ? default : onRetry(args.Outcome.Exception, args.RetryDelay, args.AttemptNumber + 1),
            })
            .Build();
}
