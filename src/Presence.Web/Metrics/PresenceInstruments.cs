using System.Diagnostics.Metrics;

namespace Presence.Web.Metrics;

/// <summary>
/// The service's event instruments on the meter <see cref="MeterName"/> (exported at <c>/metrics</c> in Prometheus
/// format, names <c>presence_*</c>; the table is in the README). Static, as the call sites are; values measured from
/// the running state (users online, queue depths, link state) are observable instruments in <see cref="PresenceGauges"/>.
/// </summary>
internal static class PresenceInstruments
{
    /// <summary>Name of the service's meter.</summary>
    public const string MeterName = "Presence";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Presence changes applied by the tracker, tagged <c>protocol</c> and <c>cause</c> (<c>presence_changes_total</c>).</summary>
    public static readonly Counter<long> Changes = Meter.CreateCounter<long>("presence.changes", "{change}",
        "Presence changes applied, by protocol and cause (api, xmpp-presence, expiry, link-loss, ...)");

    /// <summary>API requests refused, tagged <c>reason</c> (<c>presence_api_rejections_total</c>).</summary>
    public static readonly Counter<long> ApiRejections = Meter.CreateCounter<long>("presence.api.rejections", "{request}",
        "API requests refused, by reason: token-expired, token-forged, token-invalid, scope, rate-limit, bad-input");

    /// <summary>Changes per history commit (<c>presence_history_batch_size</c>).</summary>
    public static readonly Histogram<int> HistoryBatchSize = Meter.CreateHistogram<int>("presence.history.batch.size", "{change}",
        "Changes written per history commit (group commit)",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] });

    /// <summary>Duration of a successful history commit in seconds (<c>presence_history_commit_duration_seconds</c>).</summary>
    public static readonly Histogram<double> HistoryCommitDuration = Meter.CreateHistogram<double>("presence.history.commit.duration", "s",
        "Time to write one history batch in one transaction",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });

    /// <summary>Open hub connections (<c>presence_hub_connections</c>).</summary>
    public static readonly UpDownCounter<long> HubConnections = Meter.CreateUpDownCounter<long>("presence.hub.connections", "{connection}",
        "Open SignalR connections to /hubs/presence");

    /// <summary>Hub messages sent, one per user per flush whatever the number of receivers (<c>presence_hub_messages_sent_total</c>).</summary>
    public static readonly Counter<long> HubMessagesSent = Meter.CreateCounter<long>("presence.hub.messages.sent", "{message}",
        "PresenceChanged messages sent by the hub (one per user per flush)");
}
