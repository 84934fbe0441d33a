using System.Xml.Linq;
using Presence.Domain.Model;
using Presence.Xmpp.Psa;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.PubSub;

/// <summary>
/// The pubpresence item of one online user (docs/ARCHITECTURE.md §7):
/// <c>&lt;item id='name@domain'&gt;&lt;user xmlns='urn:x-pubpresence:user:0' status='online|chat|away|xa|dnd' ip hostname
/// name='name@domain' fulljid='name@domain/resource'/&gt;&lt;/item&gt;</c>, with an XEP-0310 <c>&lt;state-annotation/&gt;</c>
/// inside <c>&lt;user/&gt;</c> while the status is annotated. Value semantics: two equal items need not be republished.
/// </summary>
/// <param name="Name">The user's bare JID (also the item id).</param>
/// <param name="Status">Show of the winning resource: <c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c> or <c>dnd</c>.</param>
/// <param name="FullJid">Full JID of the winning resource.</param>
/// <param name="Ip">Session IP, or <c>null</c> when unknown (attribute omitted).</param>
/// <param name="Hostname">Reverse DNS name of the IP, or <c>null</c>.</param>
/// <param name="Annotation">The annotation, or <c>null</c> when the status is current.</param>
/// <param name="Message">The winning resource's status text (<c>&lt;status/&gt;</c>), or <c>null</c> when empty. An extension of
/// the seed's format: a <c>message</c> attribute that consumers of the original format ignore.</param>
public sealed record UserItem(string Name, string Status, string FullJid, string? Ip, string? Hostname, StateAnnotation? Annotation, string? Message = null)
{
    /// <summary>The payload element name.</summary>
    public static readonly XName UserName = Namespaces.PubPresenceUser + "user";

    /// <summary>
    /// The item for a user's current XMPP status, or <c>null</c> when the user has no available resource (the item
    /// must then be retracted).
    /// </summary>
    public static UserItem? From(UserPresence presence)
    {
        var xmpp = presence.Get(Protocols.Xmpp);
        if (xmpp?.WinningResource is not { } winner) return null;
        var user = presence.User.Value;
        return new UserItem(user, winner.Show.ToStatusText(), user + "/" + winner.Resource, winner.Ip, winner.Hostname, xmpp.Annotation,
            winner.Message.Length == 0 ? null : winner.Message);
    }

    /// <summary>The <c>&lt;item/&gt;</c> element (XEP-0060 §7.1.1).</summary>
    public XElement ToElement()
    {
        var u = new XElement(UserName, new XAttribute("status", Status));
        if (Ip is not null) u.SetAttributeValue("ip", Ip);
        if (Hostname is not null) u.SetAttributeValue("hostname", Hostname);
        u.SetAttributeValue("name", Name);
        u.SetAttributeValue("fulljid", FullJid);
        if (Message is not null) u.SetAttributeValue("message", Message);
        if (Annotation is not null) u.Add(StateAnnotationElement.Build(Annotation));
        return new XElement(Namespaces.PubSub + "item", new XAttribute("id", Name), u);
    }

    /// <summary>Reads an item (as published, or as received in an event or items result).</summary>
    /// <param name="item">The <c>&lt;item/&gt;</c> element in any pubsub namespace.</param>
    /// <returns>The item, or <c>null</c> when it has no <c>&lt;user/&gt;</c> payload.</returns>
    public static UserItem? Parse(XElement item)
    {
        var u = item.Element(UserName);
        if (u is null) return null;
        var annotation = u.Element(StateAnnotationElement.Name) is { } a ? StateAnnotationElement.Parse(a, DateTimeOffset.MinValue) : null;
        return new UserItem((string?)u.Attribute("name") ?? (string?)item.Attribute("id") ?? "", (string?)u.Attribute("status") ?? "",
            (string?)u.Attribute("fulljid") ?? "", (string?)u.Attribute("ip"), (string?)u.Attribute("hostname"), annotation, (string?)u.Attribute("message"));
    }

    /// <summary>Equality ignoring the annotation's <see cref="StateAnnotation.Since"/> (not on the wire).</summary>
    public bool SameContent(UserItem? other) =>
        other is not null && Name == other.Name && Status == other.Status && FullJid == other.FullJid && Ip == other.Ip && Hostname == other.Hostname && Message == other.Message &&
        (Annotation is null ? other.Annotation is null
            : other.Annotation is not null && Annotation.Kind == other.Annotation.Kind && Annotation.From == other.Annotation.From && Annotation.Description == other.Annotation.Description);
}
