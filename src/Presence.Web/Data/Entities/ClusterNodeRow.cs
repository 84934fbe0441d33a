namespace Presence.Web.Data.Entities;

/// <summary>A node of the cluster as it last reported itself (heartbeat), for <c>/healthz</c> and the admin pages.</summary>
public sealed class ClusterNodeRow
{
    /// <summary>The node's name (<c>Presence:Cluster:NodeName</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>When the node started (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Its last heartbeat (UTC); a node silent for three heartbeat periods is shown as gone.</summary>
    public DateTimeOffset Heartbeat { get; set; }

    /// <summary>The XMPP link state it reports (<c>Online</c>, <c>Standby</c>, <c>Disabled</c>, …).</summary>
    public string Role { get; set; } = "";

    /// <summary>The last change log sequence it has applied.</summary>
    public long AppliedSequence { get; set; }
}
