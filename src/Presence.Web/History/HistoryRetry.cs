using Polly;
using Polly.Retry;

namespace Presence.Web.History;

/// <summary>
/// The history writer's retry (Polly.Core): a failed commit is retried without limit, with capped exponential backoff
/// and jitter starting at <see cref="FirstDelay"/> and never longer than <see cref="MaxDelay"/>. Every batch is one
/// execution of the pipeline, so the backoff starts again from <see cref="FirstDelay"/> after a success. Cancelling the
/// execution's token (the host stopping) ends the wait at once and no further attempt is made.
/// </summary>
public static class HistoryRetry
{
    /// <summary>Median delay before the first retry (200 ms).</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two attempts (10 s).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Builds the pipeline. <paramref name="onRetry"/> is called after each failed attempt with the exception and the
    /// delay (seconds, ≤ <see cref="MaxDelay"/>) until the next one. <paramref name="randomizer"/> (values in [0, 1))
    /// replaces Polly's jitter source in tests; <c>null</c> keeps it.
    /// </summary>
    public static ResiliencePipeline Create(TimeProvider time, Func<Exception, TimeSpan, ValueTask> onRetry, Func<double>? randomizer = null)
    {
        var options = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(static ex => ex is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = FirstDelay,
            MaxDelay = MaxDelay,
            OnRetry = args => onRetry(args.Outcome.Exception!, args.RetryDelay),
        };
        if (randomizer is not null) options.Randomizer = randomizer;
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(options).Build();
    }
}
