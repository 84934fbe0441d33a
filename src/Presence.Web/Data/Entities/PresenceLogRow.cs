namespace Presence.Web.Data.Entities;

/// <summary>
/// One entry of the numbered change log (docs/ARCHITECTURE.md, "Several nodes"): a protocol status as a node committed
/// it, in the same transaction as its current-state and history rows. Every node of a cluster reads the log in
/// <see cref="Sequence"/> order and applies the entries other nodes wrote; per user and protocol the later entry wins.
/// </summary>
public sealed class PresenceLogRow
{
    /// <summary>Position in the log, assigned by the database (1, 2, …); entries become visible in this order.</summary>
    public long Sequence { get; set; }

    /// <summary>Name of the node that committed the entry (<c>Presence:Cluster:NodeName</c>).</summary>
    public string Node { get; set; } = "";

    /// <summary>The user's bare JID.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The protocol (<c>xmpp</c>, <c>spreed</c>, …).</summary>
    public string Protocol { get; set; } = "";

    /// <summary>The protocol status as JSON (<see cref="Cluster.LoggedStatus"/>): state, show, message, since, annotation, resources.</summary>
    public string Status { get; set; } = "";

    /// <summary>Why it changed (wire name of the change cause, e.g. <c>api</c>, <c>expiry</c>).</summary>
    public string Cause { get; set; } = "";

    /// <summary>When it changed (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>True for a refresh that changed nothing but moves the expiry deadlines (no history row).</summary>
    public bool Refresh { get; set; }
}
