using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Ping;

/// <summary>XMPP ping (XEP-0199): answers pings to the component and builds ping requests.</summary>
public static class PingHandler
{
    /// <summary>The ping payload name.</summary>
    public static readonly XName Ping = Namespaces.Ping + "ping";

    /// <summary>Registers the answer to pings (XEP-0199 §4) and advertises <c>urn:xmpp:ping</c>.</summary>
    public static void Register(IqRouter router) =>
        router.Register(IqType.Get, Ping, iq => iq.ResultFor(), Namespaces.Ping.NamespaceName);

    /// <summary>A new ping payload.</summary>
    public static XElement Payload() => new(Ping);
}
