namespace Presence.Web.Data.Entities;

/// <summary>A known user (table <c>Users</c>): the normalised bare JID, the time of its last change, and since when and until when it was seen.</summary>
public sealed class UserRow
{
    /// <summary>Normalised bare JID <c>local@domain</c> (primary key).</summary>
    public string Id { get; set; } = "";

    /// <summary>Time of the last change of any field (UTC).</summary>
    public DateTimeOffset LastChange { get; set; }

    /// <summary>When the current overall state began (UTC); <c>null</c> in rows written before it was kept (then <see cref="LastChange"/> is used).</summary>
    public DateTimeOffset? OverallSince { get; set; }

    /// <summary>The last moment the overall state was not unavailable (UTC), or <c>null</c> when never seen (or not yet kept).</summary>
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Current per-protocol statuses.</summary>
    public List<ProtocolStatusRow> Protocols { get; set; } = [];

    /// <summary>Current available XMPP resources.</summary>
    public List<XmppResourceRow> Resources { get; set; } = [];
}
