using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Presence.Domain.Tracking;
using Presence.Web.Configuration;
using Presence.Web.History;

namespace Presence.Web.Api;

/// <summary>
/// Applies validated updates atomically (<see cref="PresenceTracker.ApplyAll"/>: all or nothing) and waits until their
/// history is committed (docs/ARCHITECTURE.md §4: a PUT is acknowledged only once durable).
/// </summary>
internal sealed class PresenceWriter(PresenceTracker tracker, HistoryWriter history, IOptions<ApiOptions> options)
{
    /// <summary>
    /// Applies <paramref name="updates"/> and waits for the commit. While the database is unavailable
    /// (<see cref="HistoryWriter.Outage"/>) the wait ends at once with <c>Committed = false</c>; the change stays applied
    /// in memory and is committed when the database is back.
    /// </summary>
    /// <returns>The emitted changes and whether they were committed within <c>Presence:Api:CommitTimeout</c>.</returns>
    /// <exception cref="ArgumentException">An update is inconsistent; nothing was applied.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the update stays applied).</exception>
    public async Task<(IReadOnlyList<PresenceChange> Changes, bool Committed)> ApplyAsync(IReadOnlyList<PresenceUpdate> updates, CancellationToken cancellationToken)
    {
        var changes = updates.Count == 1
            ? (tracker.Apply(updates[0]) is { } c ? [c] : [])
            : tracker.ApplyAll(updates);
        if (changes.Count == 0) return (changes, true);
        // The timeout cancels the wait itself, so the writer forgets it (no waiter is left behind).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.CommitTimeout);
        try
        {
            await history.WaitForCommitAsync(changes[^1].Sequence, timeout.Token);
            return (changes, true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (changes, false);
        }
        catch (DatabaseUnavailableException)
        {
            return (changes, false);
        }
    }

    /// <summary>The commit timeout.</summary>
    public TimeSpan CommitTimeout => options.Value.CommitTimeout;

    /// <summary>
    /// The 503 answer for a write that was not committed: a <c>Retry-After</c> header (whole seconds, ≥ 1; the writer's
    /// next commit attempt during an outage) and a problem detail naming the cause.
    /// </summary>
    public ProblemHttpResult NotCommitted(HttpContext context)
    {
        var outage = history.Outage;
        var retryAfter = outage is null ? 1 : Math.Max(1, (int)Math.Ceiling(outage.RetryIn.TotalSeconds));
        context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return outage is null ? ApiErrors.NotCommitted(CommitTimeout) : ApiErrors.DatabaseUnavailable(outage.Cause, retryAfter);
    }
}
