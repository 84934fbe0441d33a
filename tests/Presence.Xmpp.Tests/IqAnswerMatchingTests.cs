using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Tests;

public sealed class IqAnswerMatchingTests
{
    private static XElement Answer(string id, string? from, string type = "result")
    {
        var e = new XElement(Namespaces.Component + "iq", new XAttribute("type", type), new XAttribute("id", id), new XAttribute("to", "pubpresence.localhost"));
        if (from is not null) e.SetAttributeValue("from", from);
        return e;
    }

    [Fact]
    public async Task AForgedResultFromAnotherJidDoesNotCompleteTheRequestButTheGenuineOneDoes()
    {
        await using var server = new ScriptedComponentServer("s3cr3t") { Answer = _ => null };
        await using var connection = await ComponentConnection.ConnectAsync("127.0.0.1", server.Port, "pubpresence.localhost", "s3cr3t",
            TimeSpan.FromSeconds(5), XmlStreamLimits.Default, new XmppLinkMonitor(), NullLogger.Instance, ComponentHarness.Timeout());

        var request = connection.RequestAsync(IqType.Get, "alice@localhost/laptop", new XElement(Namespaces.Ping + "ping"), TimeSpan.FromSeconds(10));
        var sent = await server.ExpectAsync(e => e.Name.LocalName == "iq");
        var id = (string)sent.Attribute("id")!;

        await server.SendAsync(Answer(id, "mallory@localhost/evil"));
        await server.SendAsync(Answer(id, "alice@localhost")); // the bare JID is not the full JID asked
        await server.SendAsync(Answer(id, null));
        for (var i = 0; i < 3; i++) Assert.False(connection.CompleteRequest(new IqStanza(await connection.ReadStanzaAsync())));
        Assert.False(request.IsCompleted);
        Assert.Equal(1, connection.PendingIqs);

        await server.SendAsync(Answer(id, "alice@localhost/laptop"));
        Assert.True(connection.CompleteRequest(new IqStanza(await connection.ReadStanzaAsync())));
        var answer = await request.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("alice@localhost/laptop", answer.FromText);
    }

    [Theory]
    [InlineData("localhost", "localhost", true)]
    [InlineData("localhost", "LOCALHOST", true)]
    [InlineData("localhost", "pubsub.localhost", false)]
    [InlineData("localhost", null, false)]
    [InlineData("alice@localhost", "alice@localhost", true)]
    [InlineData("alice@localhost", "alice@localhost/laptop", false)]
    [InlineData("alice@localhost/laptop", "alice@localhost/phone", false)]
    [InlineData(null, null, true)]
    [InlineData(null, "localhost", false)]
    public void AnAnswerMustComeFromTheAddresseeOfTheRequest(string? to, string? from, bool accepted) =>
        Assert.Equal(accepted, ComponentConnection.AnswersFrom(to, from));

    [Fact]
    public async Task IqIdsAreUniqueAndNotPredictableFromThePreviousOne()
    {
        await using var server = new ScriptedComponentServer("s3cr3t");
        await using var connection = await ComponentConnection.ConnectAsync("127.0.0.1", server.Port, "pubpresence.localhost", "s3cr3t",
            TimeSpan.FromSeconds(5), XmlStreamLimits.Default, new XmppLinkMonitor(), NullLogger.Instance, ComponentHarness.Timeout());
        var ids = Enumerable.Range(0, 100).Select(_ => connection.NextId()).ToList();
        Assert.Equal(100, ids.Distinct().Count());
        var randomParts = ids.Select(i => i.Split('-')[0]).ToList();
        Assert.All(randomParts, r => Assert.Equal(16, r.Length));
        Assert.True(randomParts.Distinct().Count() > 90, "each id carries fresh random bits");
    }
}
