using System.Xml.Linq;

namespace Presence.Xmpp.Stanzas;

/// <summary>An iq stanza (RFC 6120 §8.2.3): a request (<c>get</c>/<c>set</c>) with one payload, or its answer.</summary>
public sealed class IqStanza : Stanza
{
    /// <summary>Wraps an <c>&lt;iq/&gt;</c> element.</summary>
    /// <exception cref="ArgumentException">The element is not an iq.</exception>
    public IqStanza(XElement element) : base(element)
    {
        if (element.Name.LocalName != "iq") throw new ArgumentException($"expected <iq/>, got <{element.Name.LocalName}/>", nameof(element));
    }

    /// <summary>The iq type.</summary>
    public IqType Type => TypeText switch
    {
        "get" => IqType.Get,
        "set" => IqType.Set,
        "result" => IqType.Result,
        "error" => IqType.Error,
        _ => IqType.Unknown,
    };

    /// <summary>The first child that is not an <c>&lt;error/&gt;</c>, or <c>null</c>.</summary>
    public XElement? Payload => Element.Elements().FirstOrDefault(e => e.Name.LocalName != "error" || e.Name.Namespace != Element.Name.Namespace);

    /// <summary>Builds a request.</summary>
    /// <param name="type"><see cref="IqType.Get"/> or <see cref="IqType.Set"/>.</param>
    /// <param name="from">Sender (the component JID).</param>
    /// <param name="to">Addressee.</param>
    /// <param name="id">Id; replies carry it back (RFC 6120 §8.2.3).</param>
    /// <param name="payload">The one child element.</param>
    public static IqStanza Request(IqType type, string from, string to, string id, XElement payload)
    {
        if (type is not (IqType.Get or IqType.Set)) throw new ArgumentOutOfRangeException(nameof(type), "a request is get or set");
        var e = Create("iq", from, to, id, type == IqType.Get ? "get" : "set");
        e.Add(payload);
        return new IqStanza(e);
    }

    /// <summary>The <c>result</c> answer to this request (addresses swapped), with an optional payload.</summary>
    public IqStanza ResultFor(XElement? payload = null)
    {
        var e = Create("iq", ToText, FromText, Id, "result");
        if (payload is not null) e.Add(payload);
        return new IqStanza(e);
    }

    /// <summary>The <c>error</c> answer to this request (RFC 6120 §8.3), e.g. <c>service-unavailable</c>/<c>cancel</c>.</summary>
    public IqStanza ErrorFor(string condition, string errorType = "cancel", string? text = null)
    {
        var e = Create("iq", ToText, FromText, Id, "error");
        e.Add(new StanzaError(errorType, condition, text).ToElement());
        return new IqStanza(e);
    }
}
