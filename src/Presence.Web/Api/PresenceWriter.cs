using Microsoft.Extensions.Options;
using Presence.Domain.Tracking;
using Presence.Web.Configuration;
using Presence.Web.History;

namespace Presence.Web.Api;

/// <summary>
/// Applies validated updates atomically (<see cref="PresenceTracker.ApplyAll"/>: all or nothing) and waits until their
/// history is committed (DESIGN §8: a PUT is acknowledged only once durable).
/// </summary>
public sealed class PresenceWriter(PresenceTracker tracker, HistoryWriter history, IOptions<ApiOptions> options)
{
    /// <summary>Applies <paramref name="updates"/> and waits for the commit.</summary>
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
    }

    /// <summary>The commit timeout.</summary>
    public TimeSpan CommitTimeout => options.Value.CommitTimeout;
}
