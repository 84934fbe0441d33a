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

/// <summary>A stanza error (RFC 6120 §8.3): error type, defined condition and optional text.</summary>
/// <param name="Type">auth, cancel, continue, modify or wait (RFC 6120 §8.3.2), or empty when missing.</param>
/// <param name="Condition">The defined condition element name, e.g. <c>remote-server-not-found</c>; <c>undefined-condition</c> when missing.</param>
/// <param name="Text">The human-readable text, or <c>null</c>.</param>
public sealed record StanzaError(string Type, string Condition, string? Text)
{
    /// <summary>Reads the <c>&lt;error/&gt;</c> child of a stanza.</summary>
    public static StanzaError FromParent(XElement stanza)
    {
        var error = stanza.Elements().FirstOrDefault(e => e.Name.LocalName == "error");
        if (error is null) return new StanzaError("", "undefined-condition", null);
        var condition = error.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StanzaErrors && e.Name.LocalName != "text");
        var text = error.Element(Namespaces.StanzaErrors + "text");
        return new StanzaError((string?)error.Attribute("type") ?? "", condition?.Name.LocalName ?? "undefined-condition", text?.Value);
    }

    /// <summary>Builds the <c>&lt;error/&gt;</c> element.</summary>
    public XElement ToElement()
    {
        var e = new XElement(Namespaces.Component + "error", new XAttribute("type", Type), new XElement(Namespaces.StanzaErrors + Condition));
        if (Text is not null) e.Add(new XElement(Namespaces.StanzaErrors + "text", Text));
        return e;
    }

    /// <summary>"condition (type): text".</summary>
    public override string ToString() => Text is null ? $"{Condition} ({Type})" : $"{Condition} ({Type}): {Text}";
}
