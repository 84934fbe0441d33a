using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>Awaiting the tracker's state through its change feed (no polling, no sleeps).</summary>
public static class TrackerWaits
{
    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the tracker (checked now and after every change).
    /// Throws <see cref="TimeoutException"/> with <paramref name="what"/> and the state of <paramref name="describe"/>.
    /// </summary>
    public static async Task WaitUntilAsync(this PresenceTracker tracker, Func<PresenceTracker, bool> condition, string what,
        TimeSpan? timeout = null, Func<PresenceTracker, string>? describe = null)
    {
        var (feed, _) = tracker.Subscribe("test-wait-" + Guid.NewGuid().ToString("N")[..6], 4096);
        using var _feed = feed;
        using var cts = new CancellationTokenSource(timeout ?? XmppClientProcess.DefaultTimeout);
        try
        {
            while (!condition(tracker))
            {
                await feed.WaitToReadAsync(cts.Token);
                if (feed.ResyncRequired) feed.Resync();
                while (feed.TryRead(out _)) { }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"tracker: no {what} within {(timeout ?? XmppClientProcess.DefaultTimeout).TotalSeconds} s. " +
                                       (describe?.Invoke(tracker) ?? Describe(tracker)));
        }
    }

    /// <summary>Waits until the XMPP status of <paramref name="user"/> satisfies <paramref name="condition"/>; returns it (null = no XMPP status).</summary>
    public static async Task<ProtocolStatus?> WaitForXmppAsync(this PresenceTracker tracker, string user,
        Func<ProtocolStatus?, bool> condition, string what, TimeSpan? timeout = null)
    {
        var id = UserId.Parse(user);
        await tracker.WaitUntilAsync(t => condition(t.Get(id)?.Get(Protocols.Xmpp)), $"{user}: {what}", timeout);
        return tracker.Get(id)?.Get(Protocols.Xmpp);
    }

    /// <summary>The XMPP status of a user now.</summary>
    public static ProtocolStatus? Xmpp(this PresenceTracker tracker, string user) => tracker.Get(UserId.Parse(user))?.Get(Protocols.Xmpp);

    /// <summary>Every user's XMPP status, one line each, for failure messages.</summary>
    public static string Describe(PresenceTracker tracker) =>
        "tracker: " + string.Join("; ", tracker.Snapshot().Users.Select(u => $"{u.User} {DescribeXmpp(u.Get(Protocols.Xmpp))}"));

    private static string DescribeXmpp(ProtocolStatus? x) => x is null ? "-"
        : $"{x.State}/{x.Show} '{x.Message}' {x.Annotation?.KindName} [" +
          string.Join(",", x.Resources.Select(r => $"{r.Resource}:{r.Show}({r.Priority}) {r.Ip} {r.Annotation?.KindName}")) + "]";
}
