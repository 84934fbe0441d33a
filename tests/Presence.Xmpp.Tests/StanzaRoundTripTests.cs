using System.Diagnostics;
using System.Text;
using System.Xml.Linq;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.PubSub;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Tests;

public sealed class StanzaRoundTripTests
{
    private const string Tricky = "a < b & c > d 'single' \"double\" 😀 שלום עולם \t tab\nnewline ]]> end";

    private static async Task<XElement> ReadBackAsync(XElement stanza)
    {
        var input = new ChunkedStream();
        input.Add("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='1'>" + StanzaSerializer.ToXml(stanza), 3);
        using var reader = new XmppStreamReader(input);
        await reader.ReadHeaderAsync();
        return (await reader.ReadStanzaAsync())!;
    }

    [Fact]
    public async Task APresenceWithTrickyStatusTextReadsBackExactly()
    {
        var sent = PresenceStanza.Build("pubpresence.localhost", "alice@localhost", PresenceType.Available, XmppShow.Xa, Tricky);
        var back = new PresenceStanza(await ReadBackAsync(sent.Element));
        Assert.Equal(Tricky, back.Status);
        Assert.Equal(XmppShow.Xa, back.Show);
        Assert.Equal(PresenceType.Available, back.Type);
        Assert.True(XNode.DeepEquals(sent.Element, back.Element));
    }

    [Theory]
    [InlineData(PresenceType.Unavailable, "unavailable")]
    [InlineData(PresenceType.Subscribe, "subscribe")]
    [InlineData(PresenceType.Subscribed, "subscribed")]
    [InlineData(PresenceType.Unsubscribe, "unsubscribe")]
    [InlineData(PresenceType.Unsubscribed, "unsubscribed")]
    [InlineData(PresenceType.Probe, "probe")]
    public async Task PresenceTypesRoundTrip(PresenceType type, string wire)
    {
        var back = new PresenceStanza(await ReadBackAsync(PresenceStanza.Build("c.localhost", "u@localhost", type).Element));
        Assert.Equal(type, back.Type);
        Assert.Equal(wire, back.TypeText);
    }

    [Theory]
    [InlineData(null, XmppShow.Online)]
    [InlineData("chat", XmppShow.Chat)]
    [InlineData("away", XmppShow.Away)]
    [InlineData("xa", XmppShow.Xa)]
    [InlineData("dnd", XmppShow.Dnd)]
    [InlineData("bogus", XmppShow.Online)]
    public void EveryShowValueIsRead(string? show, XmppShow expected)
    {
        var e = new XElement(Namespaces.Component + "presence", new XAttribute("from", "a@b/c"));
        if (show is not null) e.Add(new XElement(Namespaces.Component + "show", show));
        Assert.Equal(expected, new PresenceStanza(e).Show);
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData("-128", -128)]
    [InlineData("300", 127)]
    [InlineData("-300", -128)]
    [InlineData("x", 0)]
    [InlineData(null, 0)]
    public void PriorityIsReadAndClampedToTheRfcRange(string? priority, int expected)
    {
        var e = new XElement(Namespaces.Component + "presence");
        if (priority is not null) e.Add(new XElement(Namespaces.Component + "priority", priority));
        Assert.Equal(expected, new PresenceStanza(e).Priority);
    }

    [Fact]
    public async Task AnIqRequestAndItsErrorAnswerRoundTrip()
    {
        var request = IqStanza.Request(IqType.Get, "localhost", "pubpresence.localhost", "id1", new XElement(Namespaces.DiscoInfo + "query"));
        var back = new IqStanza(await ReadBackAsync(request.Element));
        Assert.Equal(IqType.Get, back.Type);
        Assert.Equal(Namespaces.DiscoInfo + "query", back.Payload!.Name);
        var error = new IqStanza(await ReadBackAsync(back.ErrorFor("service-unavailable", "cancel", Tricky).Element));
        Assert.Equal("id1", error.Id);
        Assert.Equal("localhost", error.ToText);
        Assert.Equal(new StanzaError("cancel", "service-unavailable", Tricky), error.Error);
    }

    [Fact]
    public async Task APublishedItemWithTrickyTextAndAnAnnotationReadsBackExactly()
    {
        var annotation = new StateAnnotation(AnnotationKind.ServerUnavailable, "pubpresence.localhost", "link <lost> & \"gone\"", DateTimeOffset.UnixEpoch);
        var item = new UserItem("alice@localhost", "dnd", "alice@localhost/lap'top", "::1", "host.example", annotation, Tricky);
        var node = new PubSubNode("pubsub.localhost", "pubpresence", "max");
        var iq = IqStanza.Request(IqType.Set, "pubpresence.localhost", "pubsub.localhost", "p1", node.PublishPayload(item));
        var back = await ReadBackAsync(iq.Element);
        var readItem = UserItem.Parse(back.Descendants(Namespaces.PubSub + "item").Single());
        Assert.NotNull(readItem);
        Assert.True(item.SameContent(readItem));
        Assert.Equal(Tricky, readItem!.Message);
        Assert.Equal(AnnotationKind.ServerUnavailable, readItem.Annotation!.Kind);
    }

    [Fact]
    public async Task StatusTextFromAClientIsPublishedExactly()
    {
        // The whole way: the stanza as a client's server sends it, parsed, applied, turned into the item, written, read back.
        var tracker = new PresenceTracker(TimeProvider.System);
        var presence = new XElement(Namespaces.Component + "presence", new XAttribute("from", "alice@localhost/laptop"),
            new XElement(Namespaces.Component + "show", "chat"), new XElement(Namespaces.Component + "status", Tricky));
        var parsed = new PresenceStanza(await ReadBackAsync(presence));
        tracker.Apply(new ResourceAvailableUpdate(UserId.Parse("alice@localhost"), "laptop", parsed.Show, parsed.Priority, parsed.Status));
        var item = UserItem.From(tracker.Get(UserId.Parse("alice@localhost"))!)!;
        var back = UserItem.Parse((await ReadBackAsync(new XElement(Namespaces.Component + "message", item.ToElement()))).Elements().Single());
        Assert.Equal(Tricky, back!.Message);
        Assert.Equal("chat", back.Status);
        Assert.Equal("alice@localhost/laptop", back.FullJid);
    }

    [Fact]
    public void AUserWithoutAvailableResourcesHasNoItem()
    {
        var tracker = new PresenceTracker(TimeProvider.System);
        var alice = UserId.Parse("alice@localhost");
        tracker.Apply(new ResourceAvailableUpdate(alice, "r", XmppShow.Online, 0, ""));
        tracker.Apply(new ResourceUnavailableUpdate(alice, "r"));
        Assert.Null(UserItem.From(tracker.Get(alice)!));
    }

    [Fact]
    public void TheItemCarriesTheWinningResourceByPriority()
    {
        var tracker = new PresenceTracker(TimeProvider.System);
        var alice = UserId.Parse("alice@localhost");
        tracker.Apply(new ResourceAvailableUpdate(alice, "phone", XmppShow.Away, 1, "on the phone"));
        tracker.Apply(new ResourceAvailableUpdate(alice, "laptop", XmppShow.Dnd, 10, "busy"));
        var item = UserItem.From(tracker.Get(alice)!)!;
        Assert.Equal("dnd", item.Status);
        Assert.Equal("alice@localhost/laptop", item.FullJid);
        Assert.Equal("alice@localhost", item.ToElement().Attribute("id")!.Value);
    }

    [Fact]
    public void TheHandshakeIsTheLowerCaseHexSha1OfStreamIdAndSecret()
    {
        // Vector computed independently: printf '%s' 'stream-4711s3cr3t' | sha1sum
        Assert.Equal("54d054985de262064b3f568e0818988ea1f83cd9", ComponentHandshake.Compute("stream-4711", "s3cr3t"));
    }

    [Fact]
    public void TheHandshakeMatchesSha1sumForAnyInput()
    {
        const string id = "3BF96D32", secret = "sëcret with spaces & ünïcode";
        var psi = new ProcessStartInfo("sha1sum") { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.BaseStream.Write(Encoding.UTF8.GetBytes(id + secret));
        p.StandardInput.Close();
        var expected = p.StandardOutput.ReadToEnd().Split(' ')[0];
        p.WaitForExit();
        Assert.Equal(expected, ComponentHandshake.Compute(id, secret));
    }

    [Theory]
    [InlineData("alice@localhost/laptop", "alice", "localhost", "laptop")]
    [InlineData("alice@localhost", "alice", "localhost", null)]
    [InlineData("localhost", null, "localhost", null)]
    [InlineData("pubsub.localhost/a/b@c", null, "pubsub.localhost", "a/b@c")]
    public void JidsSplitIntoLocalDomainAndResource(string text, string? local, string domain, string? resource)
    {
        var jid = Jid.Parse(text);
        Assert.Equal(local, jid.Local);
        Assert.Equal(domain, jid.Domain);
        Assert.Equal(resource, jid.Resource);
        Assert.Equal(text, jid.ToString());
        Assert.Equal(resource is null, jid.IsBare);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@localhost")]
    [InlineData("alice@")]
    [InlineData("alice@localhost/")]
    [InlineData("a@b@c")]
    public void InvalidJidsAreRefused(string text)
    {
        Assert.False(Jid.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Jid.Parse(text));
    }

    [Fact]
    public void TheUserOfAFullJidIsTheNormalisedBareJid()
    {
        Assert.True(Jid.Parse("Alice@LocalHost/Laptop").TryGetUser(out var user));
        Assert.Equal("alice@localhost", user!.Value);
        Assert.False(Jid.Parse("localhost").TryGetUser(out _));
    }
}
