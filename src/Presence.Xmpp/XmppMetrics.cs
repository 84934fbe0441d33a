using System.Diagnostics.Metrics;

namespace Presence.Xmpp;

/// <summary>
/// The component's instruments on the <see cref="System.Diagnostics.Metrics"/> meter <see cref="MeterName"/> (the host
/// registers it with OpenTelemetry by name; Prometheus shows <c>presence_pubsub_publishes_total</c> and so on).
/// The link state, reconnects and stanza counts are read by the host from <c>IXmppLinkStatus</c>.
/// All are counters of events since start, unit <c>{request}</c> or <c>{state}</c>;
/// the pubsub ones carry the tag <c>node</c> (the pubsub node's name).
/// </summary>
public static class XmppMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Presence.Xmpp";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Publish and retract requests sent to the pubsub service (XEP-0060 §7.1, §7.2); tag <c>action</c> = <c>publish</c>|<c>retract</c>.</summary>
    public static readonly Counter<long> PubSubPublishes = Meter.CreateCounter<long>("presence.pubsub.publishes", "{request}", "Pubsub publish and retract requests sent");

    /// <summary>Publish and retract requests the pubsub service acknowledged (a result, or <c>item-not-found</c> for a retract).</summary>
    public static readonly Counter<long> PubSubAcknowledgements = Meter.CreateCounter<long>("presence.pubsub.acknowledgements", "{request}", "Pubsub requests acknowledged");

    /// <summary>Publish and retract requests answered with an error or not answered in time (retried after a backoff).</summary>
    public static readonly Counter<long> PubSubErrors = Meter.CreateCounter<long>("presence.pubsub.errors", "{request}", "Pubsub requests failed");

    /// <summary>User states replaced by a newer one before they were sent (coalescing).</summary>
    public static readonly Counter<long> PubSubCoalesced = Meter.CreateCounter<long>("presence.pubsub.coalesced", "{state}", "User states coalesced before publishing");
}
