using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Disco;

/// <summary>The component's disco identity and the disco#info result element (XEP-0030 §3.1).</summary>
public static class DiscoInfo
{
    /// <summary>Identity category (XEP-0030 §3.1, registry: component).</summary>
    public const string Category = "component";

    /// <summary>Identity type (registry: component/presence).</summary>
    public const string Type = "presence";

    /// <summary>The disco#info query result element.</summary>
    public static XElement BuildInfo(IEnumerable<string> features, string name, string? node = null)
    {
        var q = new XElement(Namespaces.DiscoInfo + "query",
            new XElement(Namespaces.DiscoInfo + "identity", new XAttribute("category", Category), new XAttribute("type", Type), new XAttribute("name", name)));
        if (node is not null) q.SetAttributeValue("node", node);
        foreach (var f in features) q.Add(new XElement(Namespaces.DiscoInfo + "feature", new XAttribute("var", f)));
        return q;
    }
}
