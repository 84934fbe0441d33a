using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Privilege;

/// <summary>
/// The permissions a server grants the component, read from its advertisement message (XEP-0356 §4.2:
/// <c>&lt;message from='domain'&gt;&lt;privilege xmlns='urn:xmpp:privilege:2'&gt;&lt;perm access='presence' type='managed_entity'/&gt;…</c>;
/// <c>urn:xmpp:privilege:1</c> for older servers). Permission values are the server's words (<c>get</c>, <c>set</c>, <c>both</c>,
/// <c>outgoing</c>, <c>managed_entity</c>, <c>roster</c>, <c>none</c>) or <c>null</c> when the server did not name the access.
/// </summary>
/// <param name="Namespace">The advertisement's namespace (<c>urn:xmpp:privilege:2</c> or <c>:1</c>).</param>
/// <param name="Roster">Roster permission.</param>
/// <param name="Message">Message permission.</param>
/// <param name="Presence">Presence permission.</param>
public sealed record PrivilegeAdvertisement(string Namespace, string? Roster, string? Message, string? Presence)
{
    /// <summary>Whether the presence permission lets the server forward every user's presence (<c>managed_entity</c> or <c>roster</c>, XEP-0356 §7).</summary>
    public bool GrantsPresence => Presence is "managed_entity" or "roster";

    /// <summary>The presence mode these permissions give.</summary>
    public PresenceMode Mode => GrantsPresence ? PresenceMode.Privileged : PresenceMode.Subscription;

    /// <summary>
    /// Reads an advertisement from a message stanza. Only a message from the server's own domain (a bare domain JID,
    /// case-insensitive) counts: anyone else could claim permissions.
    /// </summary>
    /// <param name="message">A <c>&lt;message/&gt;</c> element as read from the stream.</param>
    /// <param name="serverDomain">The server's domain (e.g. <c>localhost</c>).</param>
    /// <param name="advertisement">The permissions, when this message is an advertisement.</param>
    /// <returns><c>true</c> when the message is the server's advertisement.</returns>
    public static bool TryRead(XElement message, string serverDomain, out PrivilegeAdvertisement advertisement)
    {
        advertisement = null!;
        if (message.Name.LocalName != "message") return false;
        if (!string.Equals((string?)message.Attribute("from"), serverDomain, StringComparison.OrdinalIgnoreCase)) return false;
        var privilege = message.Elements().FirstOrDefault(e => e.Name.LocalName == "privilege"
            && (e.Name.Namespace == Namespaces.Privilege2 || e.Name.Namespace == Namespaces.Privilege1));
        if (privilege is null) return false;
        string? Perm(string access) => privilege.Elements(privilege.Name.Namespace + "perm")
            .Where(p => (string?)p.Attribute("access") == access).Select(p => (string?)p.Attribute("type")).FirstOrDefault();
        advertisement = new PrivilegeAdvertisement(privilege.Name.NamespaceName, Perm("roster"), Perm("message"), Perm("presence"));
        return true;
    }
}
