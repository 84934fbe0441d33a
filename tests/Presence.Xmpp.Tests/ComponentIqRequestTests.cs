using System.Xml.Linq;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests;

public sealed class ComponentIqRequestTests
{
    private static readonly XNamespace Test = "urn:example:test";

    private static XElement Request(string id, string? from, XElement payload, string type = "get")
    {
        var e = new XElement(Namespaces.Component + "iq", new XAttribute("type", type), new XAttribute("id", id), new XAttribute("to", "pubpresence.localhost"), payload);
        if (from is not null) e.SetAttributeValue("from", from);
        return e;
    }

    private static bool IsAnswer(XElement e) => e.Name.LocalName == "iq" && (string?)e.Attribute("type") is "result" or "error";

    [Fact]
    public async Task AHandlerThatThrowsIsAnsweredInternalServerErrorOfTypeWait()
    {
        await using var h = new ComponentHarness();
        h.Component.Registry.Iq(IqType.Get, Test + "boom", _ => throw new InvalidOperationException("handler failed"));
        h.Start();
        await h.WaitReadyAsync();
        await h.Server.SendAsync(Request("boom-1", "alice@localhost/laptop", new XElement(Test + "boom")));
        var answer = new IqStanza(await h.Server.ExpectAsync(IsAnswer));
        Assert.Equal("boom-1", answer.Id);
        Assert.Equal(IqType.Error, answer.Type);
        Assert.Equal("alice@localhost/laptop", answer.ToText);
        Assert.Equal(("wait", "internal-server-error"), (answer.Error!.Type, answer.Error.Condition));
    }

    [Fact]
    public async Task ARequestWithoutFromIsNotAnswered()
    {
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        await h.Server.SendAsync(Request("no-from", null, new XElement(Namespaces.Ping + "ping")));
        await h.Server.SendAsync(Request("with-from", "alice@localhost/laptop", new XElement(Namespaces.Ping + "ping")));
        // stanzas are handled in order: the first answer to arrive is the one for the request with a from
        var answer = new IqStanza(await h.Server.ExpectAsync(IsAnswer));
        Assert.Equal("with-from", answer.Id);
        Assert.Equal(IqType.Result, answer.Type);
        Assert.DoesNotContain(h.Server.AllReceived, e => (string?)e.Attribute("id") == "no-from");
    }
}
