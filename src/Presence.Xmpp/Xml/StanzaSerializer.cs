using System.Text;
using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Xml;

/// <summary>
/// Writes stanzas as XML text for the component stream: no XML declaration, no formatting, attributes in single
/// quotes, the stream's default namespace (<c>jabber:component:accept</c>) left implicit on top-level stanzas and
/// any other namespace declared where it starts (RFC 6120 §4.8.3). Text and attribute values are escaped so that
/// any string (markup characters, quotes, emoji, right-to-left text) reads back exactly.
/// </summary>
public static class StanzaSerializer
{
    /// <summary>Appends <paramref name="stanza"/> to <paramref name="output"/>.</summary>
    /// <param name="output">Destination.</param>
    /// <param name="stanza">The stanza.</param>
    /// <param name="streamNamespace">The stream's default namespace, implicit at top level.</param>
    public static void Write(StringBuilder output, XElement stanza, XNamespace? streamNamespace = null) =>
        WriteElement(output, stanza, streamNamespace ?? Namespaces.Component);

    /// <summary>The stanza as text.</summary>
    public static string ToXml(XElement stanza, XNamespace? streamNamespace = null)
    {
        var sb = new StringBuilder(256);
        Write(sb, stanza, streamNamespace);
        return sb.ToString();
    }

    private static void WriteElement(StringBuilder sb, XElement e, XNamespace inheritedDefault)
    {
        var name = e.Name;
        sb.Append('<').Append(name.LocalName);
        if (name.Namespace != inheritedDefault)
        {
            sb.Append(" xmlns='");
            AppendEscaped(sb, name.NamespaceName, attribute: true);
            sb.Append('\'');
        }
        var prefixIndex = 0;
        foreach (var a in e.Attributes())
        {
            if (a.IsNamespaceDeclaration) continue;
            var ans = a.Name.Namespace;
            sb.Append(' ');
            if (ans == XNamespace.None)
            {
                sb.Append(a.Name.LocalName);
            }
            else if (ans == XNamespace.Xml)
            {
                sb.Append("xml:").Append(a.Name.LocalName);
            }
            else
            {
                var prefix = "a" + prefixIndex++;
                sb.Append("xmlns:").Append(prefix).Append("='");
                AppendEscaped(sb, ans.NamespaceName, attribute: true);
                sb.Append("' ").Append(prefix).Append(':').Append(a.Name.LocalName);
            }
            sb.Append("='");
            AppendEscaped(sb, a.Value, attribute: true);
            sb.Append('\'');
        }
        if (e.IsEmpty || !e.Nodes().Any())
        {
            sb.Append("/>");
            return;
        }
        sb.Append('>');
        foreach (var node in e.Nodes())
        {
            switch (node)
            {
                case XElement child: WriteElement(sb, child, name.Namespace); break;
                case XText text: AppendEscaped(sb, text.Value, attribute: false); break; // XCData too: written escaped
            }
        }
        sb.Append("</").Append(name.LocalName).Append('>');
    }

    /// <summary>Escapes markup characters; in attributes also quotes and whitespace that attribute normalisation would change.</summary>
    internal static void AppendEscaped(StringBuilder sb, string value, bool attribute)
    {
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            string? rep = value[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\'' when attribute => "&apos;",
                '"' when attribute => "&quot;",
                '\n' when attribute => "&#xA;",
                '\r' => "&#xD;",
                '\t' when attribute => "&#x9;",
                _ => null,
            };
            if (rep is null) continue;
            sb.Append(value, start, i - start).Append(rep);
            start = i + 1;
        }
        sb.Append(value, start, value.Length - start);
    }
}
