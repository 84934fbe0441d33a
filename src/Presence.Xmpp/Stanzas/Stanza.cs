using System.Xml.Linq;

namespace Presence.Xmpp.Stanzas;

/// <summary>
/// Base of the typed stanza wrappers (RFC 6120 §8): a view over an <see cref="XElement"/> in the component
/// namespace with the common attributes <c>from</c>, <c>to</c>, <c>id</c>, <c>type</c>.
/// </summary>
public abstract class Stanza
{
    /// <summary>Wraps <paramref name="element"/> (not copied).</summary>
    protected Stanza(XElement element) => Element = element ?? throw new ArgumentNullException(nameof(element));

    /// <summary>The underlying element.</summary>
    public XElement Element { get; }

    /// <summary>The <c>from</c> attribute text, or <c>null</c>.</summary>
    public string? FromText => (string?)Element.Attribute("from");

    /// <summary>The <c>to</c> attribute text, or <c>null</c>.</summary>
    public string? ToText => (string?)Element.Attribute("to");

    /// <summary>The <c>id</c> attribute, or <c>null</c>.</summary>
    public string? Id => (string?)Element.Attribute("id");

    /// <summary>The <c>type</c> attribute, or <c>null</c>.</summary>
    public string? TypeText => (string?)Element.Attribute("type");

    /// <summary>The stanza error (RFC 6120 §8.3) when <c>type='error'</c>, else <c>null</c>.</summary>
    public StanzaError? Error => TypeText == "error" ? StanzaError.FromParent(Element) : null;

    /// <summary>The XML text (no formatting).</summary>
    public override string ToString() => Element.ToString(SaveOptions.DisableFormatting);

    /// <summary>Creates an element in the component namespace with optional addressing attributes.</summary>
    protected static XElement Create(string name, string? from, string? to, string? id, string? type)
    {
        var e = new XElement(Namespaces.Component + name);
        if (from is not null) e.SetAttributeValue("from", from);
        if (to is not null) e.SetAttributeValue("to", to);
        if (id is not null) e.SetAttributeValue("id", id);
        if (type is not null) e.SetAttributeValue("type", type);
        return e;
    }
}
