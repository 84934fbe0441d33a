using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Disco;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Tests;

public sealed class DiscoInfoTests
{
    private static ModuleRegistry Router()
    {
        var registry = new ModuleRegistry();
        registry.Add(new DiscoModule("Presence (pubpresence)"));
        return registry;
    }

    private static IqStanza Query(XNamespace ns, string? node)
    {
        var query = new XElement(ns + "query");
        if (node is not null) query.SetAttributeValue("node", node);
        return IqStanza.Request(IqType.Get, "alice@localhost/laptop", "pubpresence.localhost", "d1", query);
    }

    [Fact]
    public void ADiscoInfoQueryWithANodeIsAnsweredItemNotFound()
    {
        var answer = Router().Answer(Query(Namespaces.DiscoInfo, "http://example.org/caps#abc"));
        Assert.Equal(IqType.Error, answer.Type);
        Assert.Equal("item-not-found", answer.Error!.Condition);
        Assert.Equal("cancel", answer.Error.Type);
        Assert.Empty(answer.Element.Descendants(Namespaces.DiscoInfo + "identity"));
    }

    [Fact]
    public void ADiscoItemsQueryWithANodeIsAnsweredItemNotFound()
    {
        var answer = Router().Answer(Query(Namespaces.DiscoItems, "some-node"));
        Assert.Equal(IqType.Error, answer.Type);
        Assert.Equal("item-not-found", answer.Error!.Condition);
    }

    [Fact]
    public void ADiscoInfoQueryWithoutANodeIsAnsweredWithTheRootIdentity()
    {
        var answer = Router().Answer(Query(Namespaces.DiscoInfo, null));
        Assert.Equal(IqType.Result, answer.Type);
        var identity = answer.Element.Descendants(Namespaces.DiscoInfo + "identity").Single();
        Assert.Equal((DiscoInfo.Category, DiscoInfo.Type), ((string?)identity.Attribute("category"), (string?)identity.Attribute("type")));
    }
}
