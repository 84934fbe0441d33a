using Polly;
using Polly.Retry;

namespace Presence.Xmpp.Resilience;

/// <summary>
/// The one retry mechanism of the service (docs/ARCHITECTURE.md §7): a Polly.Core retry pipeline with capped exponential backoff.
/// Retry n (0-based) of a streak waits d = min(max, initial · 2ⁿ); with jitter a random time in [d/2, d] instead, so
/// many clients failing together do not retry in step. It retries without limit every failure the predicate accepts
/// (by default every exception except a cancellation: an intentional stop is never retried, and cancelling the
/// execution's token ends a wait at once). One execution covers one streak of failures: the next execution starts
/// again from <c>initial</c>. Used by the component's reconnect, the pubsub publisher's per-user retry, the subscriber
/// store writes and the history writer's commits.
/// </summary>
public static class Backoff
{
    /// <summary>The delay before retry number <paramref name="attempt"/>.</summary>
    /// <param name="initial">Delay before the first retry (&gt; 0).</param>
    /// <param name="max">Cap (≥ <paramref name="initial"/>).</param>
    /// <param name="attempt">Retries so far in this streak, ≥ 0 (negative counts as 0).</param>
    /// <param name="jitter">Whether the delay is drawn from [d/2, d] rather than being d.</param>
    /// <param name="random">Jitter source; <see cref="Random.Shared"/> when <c>null</c>.</param>
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, int attempt, bool jitter = true, Random? random = null)
    {
        var capped = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30)));
        return TimeSpan.FromMilliseconds(jitter ? capped / 2 + (random ?? Random.Shared).NextDouble() * capped / 2 : capped);
    }

    /// <summary>Builds the pipeline.</summary>
    /// <param name="initial">Delay before the first retry (&gt; 0).</param>
    /// <param name="max">Cap of the delay (≥ <paramref name="initial"/>).</param>
    /// <param name="time">Clock for the delays (a <c>FakeTimeProvider</c> in tests).</param>
    /// <param name="jitter">Draw each delay from [d/2, d] (see <see cref="Delay"/>).</param>
    /// <param name="onRetry">Called before each wait with the failure, the delay and the retry number (1-based): logging, status.</param>
    /// <param name="shouldRetry">Which failures are retried; every one but <see cref="OperationCanceledException"/> when <c>null</c>.</param>
    /// <param name="delayFor">
    /// Chooses the delay before a retry from the failure and the retry number (0-based) instead of the exponential one,
    /// or returns <c>null</c> to keep it (e.g. quick retries of a known transient refusal); <c>null</c>: always exponential.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initial"/> is not positive or <paramref name="max"/> is below it.</exception>
    public static ResiliencePipeline Build(TimeSpan initial, TimeSpan max, TimeProvider time, bool jitter = true,
        Func<Exception?, TimeSpan, int, ValueTask>? onRetry = null, Func<Exception, bool>? shouldRetry = null,
        Func<Exception?, int, TimeSpan?>? delayFor = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        var handle = shouldRetry ?? (static e => e is not OperationCanceledException);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(handle),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    delayFor?.Invoke(args.Outcome.Exception, args.AttemptNumber) ?? Delay(initial, max, args.AttemptNumber, jitter)),
                OnRetry = args => onRetry is null ? default : onRetry(args.Outcome.Exception, args.RetryDelay, args.AttemptNumber + 1),
            })
            .Build();
    }
}
