using System.Diagnostics.Metrics;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;

namespace Presence.Web.Metrics;

/// <summary>
/// Observable instruments read from the running service when <c>/metrics</c> is scraped: users and XMPP resources
/// online, annotated statuses by kind, per-consumer feed queue depth and resyncs, XMPP link state, reconnects and
/// stanzas (from <see cref="IXmppLinkStatus"/>). Created on the host's <see cref="IMeterFactory"/> so they end with it.
/// </summary>
internal sealed class PresenceGauges
{
    /// <summary>Creates the instruments on a meter named <see cref="PresenceInstruments.MeterName"/>.</summary>
    public PresenceGauges(IMeterFactory meters, PresenceTracker tracker, IServiceProvider services)
    {
        var meter = meters.Create(PresenceInstruments.MeterName);
        meter.CreateObservableGauge("presence.users.online", () => Count(tracker, u => u.Overall != PresenceState.Unavailable), "{user}",
            "Users whose overall state is not unavailable");
        meter.CreateObservableGauge("presence.xmpp.resources.online", () => Count(tracker, u => u.Get(Protocols.Xmpp)?.Resources.Length ?? 0), "{resource}",
            "Available XMPP resources (full JIDs) of all users");
        meter.CreateObservableGauge("presence.annotated.statuses", () => Annotated(tracker), "{status}",
            "Protocol statuses carrying a XEP-0310 annotation, by kind");
        meter.CreateObservableGauge("presence.feed.queue.depth", () => tracker.FeedStatistics().Select(f =>
            new Measurement<int>(f.Pending, new KeyValuePair<string, object?>("consumer", f.Name))), "{change}",
            "Changes waiting in each change-feed consumer's queue (history, signalr, xmpp, ...)");
        meter.CreateObservableCounter("presence.feed.resyncs", () => tracker.FeedStatistics().Select(f =>
            new Measurement<long>(f.Resyncs, new KeyValuePair<string, object?>("consumer", f.Name))), "{resync}",
            "Times a change-feed consumer fell behind and resynchronised from a snapshot");
        meter.CreateObservableGauge("presence.history.queue.depth", () => tracker.FeedStatistics().Where(f => f.Name == "history").Select(f => f.Pending).FirstOrDefault(), "{change}",
            "Changes waiting to be committed to the history");
        if (services.GetService<Cluster.ClusterMode>() is { Enabled: true } && services.GetService<Cluster.ChangeLogFollower>() is { } follower)
        {
            meter.CreateObservableGauge("presence.cluster.log.lag", () => follower.Lag, "{change}",
                "Change log entries other nodes committed that this node has not applied yet (several nodes on PostgreSQL)");
            var positions = services.GetRequiredService<Cluster.ChangeLogPositions>();
            meter.CreateObservableCounter("presence.cluster.log.applied", () => positions.Applied, "{change}",
                "This node's position in the change log (the last sequence it has read)");
        }
        if (services.GetService<IXmppLinkStatus>() is { } link)
        {
            meter.CreateObservableGauge("presence.xmpp.link.state", () => Enum.GetValues<XmppLinkState>().Select(s =>
                new Measurement<int>(link.Current.State == s ? 1 : 0, new KeyValuePair<string, object?>("state", s.ToString()))), null,
                "1 for the XMPP component link's current state (Online, Connecting, Authenticating, Backoff, Standby, Disconnected), else 0");
            meter.CreateObservableCounter("presence.xmpp.reconnects", () => link.Current.Reconnects, "{reconnect}", "XMPP component reconnect attempts");
            meter.CreateObservableCounter("presence.xmpp.stanzas.received", () => link.Current.StanzasReceived, "{stanza}", "Stanzas received from the XMPP server");
            meter.CreateObservableCounter("presence.xmpp.stanzas.sent", () => link.Current.StanzasSent, "{stanza}", "Stanzas sent to the XMPP server");
        }
    }

    private static int Count(PresenceTracker tracker, Func<UserPresence, int> of)
    {
        var total = 0;
        foreach (var user in tracker.Snapshot().Users) total += of(user);
        return total;
    }

    private static int Count(PresenceTracker tracker, Func<UserPresence, bool> where) => Count(tracker, u => where(u) ? 1 : 0);

    private static IEnumerable<Measurement<int>> Annotated(PresenceTracker tracker)
    {
        var byKind = Enum.GetValues<AnnotationKind>().ToDictionary(k => k, _ => 0);
        foreach (var user in tracker.Snapshot().Users)
        {
            foreach (var status in user.Protocols)
            {
                if (status.Annotation is { } a) byKind[a.Kind]++;
            }
        }
        return byKind.Select(kv => new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("kind", kv.Key.ToWire())));
    }
}
