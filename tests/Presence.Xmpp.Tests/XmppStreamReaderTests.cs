using System.Text;
using System.Xml.Linq;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Tests;

public sealed class XmppStreamReaderTests
{
    private const string Header =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' from='pubpresence.localhost' id='abc123'>";

    private const string Stanzas =
        "<presence from='alice@localhost/laptop' to='pubpresence.localhost'><show>dnd</show><status>a &lt; b &amp; &quot;c&quot; 😀 שלום</status><priority>5</priority></presence>" +
        " \n" + // whitespace keepalive between stanzas
        "<iq type='get' id='p1' from='localhost' to='pubpresence.localhost'><ping xmlns='urn:xmpp:ping'/></iq>" +
        "<message from='pubsub.localhost'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='pubpresence'><item id='x'><![CDATA[<raw>]]></item></items></event></message>";

    private static async Task<List<XElement>> ReadAllAsync(ChunkedStream input, int expected)
    {
        using var reader = new XmppStreamReader(input);
        var header = await reader.ReadHeaderAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("abc123", header.Id);
        Assert.Equal("jabber:component:accept", header.DefaultNamespace);
        var result = new List<XElement>();
        for (var i = 0; i < expected; i++) result.Add((await reader.ReadStanzaAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)))!);
        return result;
    }

    private static void AssertTheThreeStanzas(List<XElement> stanzas)
    {
        var presence = new PresenceStanza(stanzas[0]);
        Assert.Equal(Namespaces.Component + "presence", stanzas[0].Name);
        Assert.Equal("alice@localhost/laptop", presence.FromText);
        Assert.Equal("a < b & \"c\" 😀 שלום", presence.Status);
        Assert.Equal(5, presence.Priority);
        var iq = new IqStanza(stanzas[1]);
        Assert.Equal(IqType.Get, iq.Type);
        Assert.Equal(Namespaces.Ping + "ping", iq.Payload!.Name);
        Assert.Equal("<raw>", stanzas[2].Descendants(Namespaces.PubSubEvent + "item").Single().Value);
    }

    public static TheoryData<int> ChunkSizes() => [1, 2, 3, 5, 7, 16, 64, 100, 1000, 100_000];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task StanzasAreReadWhateverTheChunking(int chunkSize)
    {
        var input = new ChunkedStream();
        input.Add(Header + Stanzas, chunkSize); // never completed: like a live socket, the reader must not wait for more
        AssertTheThreeStanzas(await ReadAllAsync(input, 3));
    }

    [Fact]
    public async Task StanzasAreReadWhenEveryChunkBoundaryIsTried()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + Stanzas);
        for (var split = 1; split < bytes.Length; split++)
        {
            var input = new ChunkedStream();
            input.Add(bytes[..split]);
            input.Add(bytes[split..]);
            AssertTheThreeStanzas(await ReadAllAsync(input, 3));
        }
    }

    [Fact]
    public async Task SeveralStanzasInOneReadAreReturnedOneByOne()
    {
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes(Header + Stanzas));
        AssertTheThreeStanzas(await ReadAllAsync(input, 3));
    }

    [Fact]
    public async Task AStanzaSplitAcrossReadsIsReturnedOnlyWhenComplete()
    {
        var input = new ChunkedStream();
        using var reader = new XmppStreamReader(input);
        input.Add(Encoding.UTF8.GetBytes(Header));
        await reader.ReadHeaderAsync();
        input.Add(Encoding.UTF8.GetBytes("<presence from='bob@localhost/x'><sta"));
        var pending = reader.ReadStanzaAsync().AsTask();
        await Task.Delay(50); // lets the reader consume the first half; it must still be waiting
        Assert.False(pending.IsCompleted);
        input.Add(Encoding.UTF8.GetBytes("tus>hi</status></presence>"));
        var stanza = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("hi", new PresenceStanza(stanza!).Status);
    }

    [Fact]
    public async Task TheStreamCloseTagEndsTheStream()
    {
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes(Header + "<presence from='a@b/c'/></stream:stream>"));
        using var reader = new XmppStreamReader(input);
        await reader.ReadHeaderAsync();
        Assert.NotNull(await reader.ReadStanzaAsync());
        Assert.Null(await reader.ReadStanzaAsync());
    }

    [Fact]
    public async Task AConnectionClosedWithoutClosingTheStreamIsReportedAsEndOfStream()
    {
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes(Header + "<presence from='a@b/c'/>"));
        input.Complete();
        using var reader = new XmppStreamReader(input);
        await reader.ReadHeaderAsync();
        Assert.NotNull(await reader.ReadStanzaAsync());
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadStanzaAsync());
    }

    [Fact]
    public async Task AStreamErrorIsReturnedWithTheServersText()
    {
        var input = new ChunkedStream();
        input.Add(Header + "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Given token does not match</text></stream:error></stream:stream>", 7);
        using var reader = new XmppStreamReader(input);
        await reader.ReadHeaderAsync();
        var element = await reader.ReadStanzaAsync();
        Assert.True(StreamError.Is(element!));
        var error = StreamError.Parse(element!);
        Assert.Equal("not-authorized", error.Condition);
        Assert.Equal("Given token does not match", error.Text);
        Assert.Contains("Given token does not match", new XmppStreamErrorException(error).Message);
    }

    [Fact]
    public async Task AnOversizedStanzaIsRefusedWithoutBufferingItAll()
    {
        var input = new ChunkedStream();
        var limits = new XmlStreamLimits(MaxStanzaBytes: 4096);
        using var reader = new XmppStreamReader(input, limits);
        input.Add(Encoding.UTF8.GetBytes(Header + "<message><body>"));
        await reader.ReadHeaderAsync();
        var chunk = Encoding.UTF8.GetBytes(new string('x', 8192));
        for (var i = 0; i < 1000; i++) input.Add(chunk); // 8 MB offered, never closed
        var ex = await Assert.ThrowsAsync<XmppProtocolException>(async () => await reader.ReadStanzaAsync());
        Assert.Contains("limit", ex.Message);
        Assert.True(input.TotalRead < 200_000, $"read {input.TotalRead} bytes before refusing");
    }

    [Fact]
    public async Task AStanzaNestedTooDeeplyIsRefused()
    {
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes(Header + "<message>" + string.Concat(Enumerable.Repeat("<a>", 100))));
        using var reader = new XmppStreamReader(input, new XmlStreamLimits(MaxDepth: 16));
        await reader.ReadHeaderAsync();
        var ex = await Assert.ThrowsAsync<XmppProtocolException>(async () => await reader.ReadStanzaAsync());
        Assert.Contains("deeper", ex.Message);
    }

    [Fact]
    public async Task AnEntityExpansionAttemptIsRefusedBeforeAnyExpansion()
    {
        const string billionLaughs = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>" +
            "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'><!ENTITY lol4 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>]>" +
            "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='x'><message><body>&lol4;</body></message>";
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes(billionLaughs));
        using var reader = new XmppStreamReader(input);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = await Assert.ThrowsAsync<XmppProtocolException>(() => reader.ReadHeaderAsync());
        Assert.Contains("DTD", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
    }

    [Fact]
    public async Task AnEntityReferenceInsideAStanzaIsRefused()
    {
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes(Header + "<message><body>&xxe;</body></message>"));
        using var reader = new XmppStreamReader(input);
        await reader.ReadHeaderAsync();
        await Assert.ThrowsAsync<XmppProtocolException>(async () => await reader.ReadStanzaAsync());
    }

    [Fact]
    public async Task MalformedXmlIsAProtocolError()
    {
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes(Header + "<presence></message><presence/>"));
        using var reader = new XmppStreamReader(input);
        await reader.ReadHeaderAsync();
        await Assert.ThrowsAsync<XmppProtocolException>(async () => await reader.ReadStanzaAsync());
    }

    [Fact]
    public async Task AFirstElementOtherThanAStreamHeaderIsRefused()
    {
        var input = new ChunkedStream();
        input.Add(Encoding.UTF8.GetBytes("<presence/>"));
        using var reader = new XmppStreamReader(input);
        var ex = await Assert.ThrowsAsync<XmppProtocolException>(() => reader.ReadHeaderAsync());
        Assert.Contains("stream header", ex.Message);
    }
}
