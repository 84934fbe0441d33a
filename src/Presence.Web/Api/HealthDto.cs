using Presence.Domain.Tracking;
using Presence.Web.History;

namespace Presence.Web.Api;

/// <summary>Health document with details, for API token holders and dashboard administrators.</summary>
/// <param name="Status"><c>ok</c> or <c>degraded</c>.</param>
/// <param name="Database">Database check.</param>
/// <param name="Tracker">Tracker size.</param>
/// <param name="Feeds">Per-consumer change feed counters (pending, delivered, dropped, resyncs).</param>
/// <param name="History">History writer counters.</param>
/// <param name="Xmpp">XMPP link, or <c>null</c> when the component is not registered.</param>
/// <param name="Checks">Every health check's outcome.</param>
/// <param name="Cluster">This node and the others sharing its PostgreSQL database, or <c>null</c> on SQLite (a single node).</param>
internal sealed record HealthDto(string Status, DatabaseHealthDto Database, TrackerHealthDto Tracker, List<FeedStatistics> Feeds, HistoryWriterStatus History,
    XmppHealthDto? Xmpp, List<HealthCheckDto> Checks, ClusterHealthDto? Cluster);
