using Presence.Domain.Tracking;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>Awaits changes on the tracker's feed (instead of sleeping).</summary>
public sealed class FeedWatcher : IDisposable
{
    private readonly PresenceFeedSubscription _subscription;

    public FeedWatcher(PresenceTracker tracker) => (_subscription, _) = tracker.Subscribe("test-watcher", 100_000);

    /// <summary>The next change matching <paramref name="match"/>, failing after <paramref name="timeout"/>.</summary>
    public async Task<PresenceChange> WaitForAsync(Func<PresenceChange, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _subscription.WaitToReadAsync(cts.Token))
            {
                while (_subscription.TryRead(out var change))
                {
                    if (match(change)) return change;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"no matching change within {timeout}");
    }

    public void Dispose() => _subscription.Dispose();
}
