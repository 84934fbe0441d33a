using System.Xml.Linq;

namespace Presence.Xmpp.Stanzas;

/// <summary>A stream error (RFC 6120 §4.9): the defined condition and the server's text.</summary>
/// <param name="Condition">Condition element name, e.g. <c>not-authorized</c>, <c>conflict</c>, <c>host-unknown</c>.</param>
/// <param name="Text">The server's <c>&lt;text/&gt;</c>, or <c>null</c>.</param>
public sealed record StreamError(string Condition, string? Text)
{
    /// <summary>True when <paramref name="element"/> is <c>&lt;stream:error/&gt;</c>.</summary>
    public static bool Is(XElement element) => element.Name == Namespaces.Streams + "error";

    /// <summary>Reads a <c>&lt;stream:error/&gt;</c> element.</summary>
    public static StreamError Parse(XElement element)
    {
        var condition = element.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StreamErrors && e.Name.LocalName != "text");
        var text = element.Element(Namespaces.StreamErrors + "text");
        return new StreamError(condition?.Name.LocalName ?? "undefined-condition", text?.Value);
    }

    /// <summary>Builds the element (for tests and scripted servers).</summary>
    public XElement ToElement()
    {
        var e = new XElement(Namespaces.Streams + "error", new XElement(Namespaces.StreamErrors + Condition));
        if (Text is not null) e.Add(new XElement(Namespaces.StreamErrors + "text", Text));
        return e;
    }

    /// <summary>"condition: text".</summary>
    public override string ToString() => Text is null ? Condition : $"{Condition}: {Text}";
}
