using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Disco;

/// <summary>
/// Service discovery (XEP-0030) as a module: answers disco#info with the identity <c>component/presence</c> and the
/// features every module registered, and disco#items with an empty list. The component has no nodes: a query with a
/// <c>node</c> attribute is answered <c>item-not-found</c> (XEP-0030 §3.1).
/// </summary>
/// <param name="name">Human-readable name of the identity.</param>
public sealed class DiscoModule(string name) : IComponentModule
{
    /// <inheritdoc />
    public void Register(ModuleRegistry registry)
    {
        registry.Iq(IqType.Get, Namespaces.DiscoInfo + "query",
            iq => HasNode(iq) ? NoSuchNode(iq) : iq.ResultFor(DiscoInfo.BuildInfo(registry.Features, name)), Namespaces.DiscoInfo.NamespaceName);
        registry.Iq(IqType.Get, Namespaces.DiscoItems + "query",
            iq => HasNode(iq) ? NoSuchNode(iq) : iq.ResultFor(new XElement(Namespaces.DiscoItems + "query")));
    }

    private static bool HasNode(IqStanza iq) => iq.Payload?.Attribute("node") is not null;

    /// <summary>The component has no disco nodes: a query naming one is answered <c>item-not-found</c>/<c>cancel</c> (XEP-0030 §3.1, §4.1).</summary>
    private static IqStanza NoSuchNode(IqStanza iq) =>
        iq.ErrorFor("item-not-found", "cancel", $"this component has no disco node '{(string?)iq.Payload!.Attribute("node")}'");
}
