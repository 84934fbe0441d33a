using System.Xml.Linq;

namespace Presence.Xmpp.Stanzas;

/// <summary>XML namespaces used by the component, in one place (RFC 6120, XEP-0114, XEP-0060, XEP-0133, XEP-0199, XEP-0310, XEP-0356, and the pubpresence item).</summary>
public static class Namespaces
{
    /// <summary>Default namespace of a component stream (XEP-0114 §3).</summary>
    public static readonly XNamespace Component = "jabber:component:accept";

    /// <summary>The stream element's namespace (RFC 6120 §4.8.1).</summary>
    public static readonly XNamespace Streams = "http://etherx.jabber.org/streams";

    /// <summary>Stream error conditions (RFC 6120 §4.9.3).</summary>
    public static readonly XNamespace StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";

    /// <summary>Stanza error conditions (RFC 6120 §8.3.3).</summary>
    public static readonly XNamespace StanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /// <summary>Publish-subscribe (XEP-0060 §7).</summary>
    public static readonly XNamespace PubSub = "http://jabber.org/protocol/pubsub";

    /// <summary>Publish-subscribe owner use cases (XEP-0060 §8).</summary>
    public static readonly XNamespace PubSubOwner = "http://jabber.org/protocol/pubsub#owner";

    /// <summary>Publish-subscribe event notifications (XEP-0060 §7.1.2).</summary>
    public static readonly XNamespace PubSubEvent = "http://jabber.org/protocol/pubsub#event";

    /// <summary>Node configuration form type (XEP-0060 §16.4.4).</summary>
    public const string PubSubNodeConfig = "http://jabber.org/protocol/pubsub#node_config";

    /// <summary>Data forms (XEP-0004).</summary>
    public static readonly XNamespace DataForms = "jabber:x:data";

    /// <summary>Ad-hoc commands (XEP-0050).</summary>
    public static readonly XNamespace Commands = "http://jabber.org/protocol/commands";

    /// <summary>Service administration form type and command prefix (XEP-0133).</summary>
    public const string Admin = "http://jabber.org/protocol/admin";

    /// <summary>Service discovery information (XEP-0030 §3).</summary>
    public static readonly XNamespace DiscoInfo = "http://jabber.org/protocol/disco#info";

    /// <summary>Service discovery items (XEP-0030 §4).</summary>
    public static readonly XNamespace DiscoItems = "http://jabber.org/protocol/disco#items";

    /// <summary>XMPP ping (XEP-0199).</summary>
    public static readonly XNamespace Ping = "urn:xmpp:ping";

    /// <summary>Presence state annotations (XEP-0310).</summary>
    public static readonly XNamespace Psa = "urn:xmpp:psa";

    /// <summary>The pubpresence item payload (docs/ARCHITECTURE.md §7).</summary>
    public static readonly XNamespace PubPresenceUser = "urn:x-pubpresence:user:0";

    /// <summary>Privileged entity, current version (XEP-0356 §4, 0.4+).</summary>
    public static readonly XNamespace Privilege2 = "urn:xmpp:privilege:2";

    /// <summary>Privileged entity, version 1 (XEP-0356 before 0.4; ejabberd and older Prosody modules).</summary>
    public static readonly XNamespace Privilege1 = "urn:xmpp:privilege:1";

    /// <summary>The XML namespace (for <c>xml:lang</c>).</summary>
    public static readonly XNamespace Xml = XNamespace.Xml;
}
