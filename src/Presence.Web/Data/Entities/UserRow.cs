namespace Presence.Web.Data.Entities;

/// <summary>A known user (table <c>Users</c>): the normalised bare JID and the time of its last change.</summary>
public sealed class UserRow
{
    /// <summary>Normalised bare JID <c>local@domain</c> (primary key).</summary>
    public string Id { get; set; } = "";

    /// <summary>Time of the last change of any field (UTC).</summary>
    public DateTimeOffset LastChange { get; set; }

    /// <summary>Current per-protocol statuses.</summary>
    public List<ProtocolStatusRow> Protocols { get; set; } = [];

    /// <summary>Current available XMPP resources.</summary>
    public List<XmppResourceRow> Resources { get; set; } = [];
}
