using System.Xml.Linq;

namespace Presence.Xmpp.Stanzas;

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
