using System.Globalization;
using System.Xml.Linq;
using Presence.Domain.Model;

namespace Presence.Xmpp.Stanzas;

/// <summary>A presence stanza (RFC 6121 §4): type, show, status text and priority.</summary>
public sealed class PresenceStanza : Stanza
{
    /// <summary>Wraps a <c>&lt;presence/&gt;</c> element.</summary>
    /// <exception cref="ArgumentException">The element is not a presence.</exception>
    public PresenceStanza(XElement element) : base(element)
    {
        if (element.Name.LocalName != "presence") throw new ArgumentException($"expected <presence/>, got <{element.Name.LocalName}/>", nameof(element));
    }

    /// <summary>The presence type.</summary>
    public PresenceType Type => TypeText switch
    {
        null => PresenceType.Available,
        "unavailable" => PresenceType.Unavailable,
        "subscribe" => PresenceType.Subscribe,
        "subscribed" => PresenceType.Subscribed,
        "unsubscribe" => PresenceType.Unsubscribe,
        "unsubscribed" => PresenceType.Unsubscribed,
        "probe" => PresenceType.Probe,
        "error" => PresenceType.Error,
        _ => PresenceType.Unknown,
    };

    /// <summary>The <c>&lt;show/&gt;</c> text, or <c>null</c> when absent.</summary>
    public string? ShowText => Child("show")?.Value;

    /// <summary>The show value; unknown text counts as <see cref="XmppShow.Online"/> (RFC 6121 §4.7.2.1 says to treat it as absent).</summary>
    public XmppShow Show => XmppShows.TryParse(ShowText?.Trim(), out var s) ? s : XmppShow.Online;

    /// <summary>The <c>&lt;status/&gt;</c> text (the first one), or the empty string.</summary>
    public string Status => Child("status")?.Value ?? "";

    /// <summary>The <c>&lt;priority/&gt;</c>, −128..127 (clamped), 0 when absent or not an integer (RFC 6121 §4.7.2.3).</summary>
    public int Priority =>
        int.TryParse(Child("priority")?.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p)
            ? Math.Clamp(p, ResourcePresence.MinPriority, ResourcePresence.MaxPriority)
            : 0;

    /// <summary>Builds a presence stanza.</summary>
    /// <param name="from">Sender (the component JID).</param>
    /// <param name="to">Addressee, or <c>null</c>.</param>
    /// <param name="type">Type; <see cref="PresenceType.Available"/> omits the attribute.</param>
    /// <param name="show">Show value (omitted for <see cref="XmppShow.Online"/>).</param>
    /// <param name="status">Status text, or <c>null</c>.</param>
    public static PresenceStanza Build(string from, string? to, PresenceType type = PresenceType.Available, XmppShow show = XmppShow.Online, string? status = null)
    {
        var e = Create("presence", from, to, null, TypeName(type));
        if (type == PresenceType.Available && show.ToShowElement() is { } s) e.Add(new XElement(Namespaces.Component + "show", s));
        if (status is not null) e.Add(new XElement(Namespaces.Component + "status", status));
        return new PresenceStanza(e);
    }

    /// <summary>The wire name of a type, or <c>null</c> for <see cref="PresenceType.Available"/>.</summary>
    public static string? TypeName(PresenceType type) => type switch
    {
        PresenceType.Available => null,
        PresenceType.Unavailable => "unavailable",
        PresenceType.Subscribe => "subscribe",
        PresenceType.Subscribed => "subscribed",
        PresenceType.Unsubscribe => "unsubscribe",
        PresenceType.Unsubscribed => "unsubscribed",
        PresenceType.Probe => "probe",
        PresenceType.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private XElement? Child(string name)
    {
        // walks the child nodes directly: no iterator allocation on the hot path
        var ns = Element.Name.Namespace;
        for (var node = Element.FirstNode; node is not null; node = node.NextNode)
        {
            if (node is XElement e && e.Name.LocalName == name && (e.Name.Namespace == ns || e.Name.Namespace == XNamespace.None)) return e;
        }
        return null;
    }
}
