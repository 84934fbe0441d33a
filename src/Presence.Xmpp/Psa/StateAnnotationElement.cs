using System.Xml.Linq;
using Presence.Domain.Model;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Psa;

/// <summary>
/// The XEP-0310 <c>&lt;state-annotation xmlns='urn:xmpp:psa' from='…'&gt;</c> element: a kind child
/// (<c>server-unavailable</c> or <c>connection-paused</c>) and an optional <c>&lt;description/&gt;</c>; an element
/// without a kind child is the empty annotation that clears a previous one (XEP-0310 §4.1).
/// </summary>
public static class StateAnnotationElement
{
    /// <summary>The element name.</summary>
    public static readonly XName Name = Namespaces.Psa + "state-annotation";

    /// <summary>Builds the element for <paramref name="annotation"/>.</summary>
    public static XElement Build(StateAnnotation annotation)
    {
        var e = new XElement(Name, new XAttribute("from", annotation.From), new XElement(Namespaces.Psa + annotation.KindName));
        if (!string.IsNullOrEmpty(annotation.Description)) e.Add(new XElement(Namespaces.Psa + "description", annotation.Description));
        return e;
    }

    /// <summary>Reads an annotation element.</summary>
    /// <param name="element">A <c>state-annotation</c> element.</param>
    /// <param name="since">Time to record as <see cref="StateAnnotation.Since"/> (not on the wire).</param>
    /// <returns>The annotation, or <c>null</c> for the empty annotation or an unknown kind.</returns>
    public static StateAnnotation? Parse(XElement element, DateTimeOffset since)
    {
        foreach (var child in element.Elements())
        {
            if (child.Name.Namespace == Namespaces.Psa && AnnotationKinds.TryParse(child.Name.LocalName, out var kind))
            {
                var description = element.Element(Namespaces.Psa + "description")?.Value;
                return new StateAnnotation(kind, (string?)element.Attribute("from") ?? "", description, since);
            }
        }
        return null;
    }
}
