using Polly;
using Presence.Xmpp.Resilience;

namespace Presence.Web.History;

/// <summary>
/// The history writer's retry (<see cref="Backoff"/>, Polly.Core): a failed commit is retried without limit, with capped
/// exponential backoff and jitter starting at <see cref="FirstDelay"/> and never longer than <see cref="MaxDelay"/>. Every
/// batch is one execution of the pipeline, so the backoff starts again from <see cref="FirstDelay"/> after a success.
/// Cancelling the execution's token (the host stopping) ends the wait at once and no further attempt is made.
/// </summary>
internal static class HistoryRetry
{
    /// <summary>Longest delay before the first retry (200 ms; the jitter draws it from [100, 200] ms).</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two attempts (10 s).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Builds the pipeline. <paramref name="onRetry"/> is called after each failed attempt with the exception and the
    /// delay (≤ <see cref="MaxDelay"/>) until the next one.
    /// </summary>
    public static ResiliencePipeline Create(TimeProvider time, Func<Exception, TimeSpan, ValueTask> onRetry) =>
        Backoff.Build(FirstDelay, MaxDelay, time, jitter: true, onRetry: (ex, delay, _) => onRetry(ex!, delay));
}
