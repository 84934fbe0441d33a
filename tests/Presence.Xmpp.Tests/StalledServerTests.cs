using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Tests;

/// <summary>
/// An XMPP server that stops reading: the outbound queue stays bounded in stanzas and in bytes, the link is dropped and
/// re-established, and a dropped connection is released (issue 9).
/// </summary>
public sealed class StalledServerTests
{
    private static XElement Ping(int i) => new(Namespaces.Component + "iq",
        new XAttribute("type", "get"), new XAttribute("id", $"p{i}"), new XAttribute("from", "localhost"), new XAttribute("to", "pubpresence.localhost"),
        new XElement(Namespaces.Ping + "ping"));

    [Fact]
    public async Task AServerThatStopsReadingGetsItsConnectionDroppedOnceTheQueueIsFullAndTheQueueNeverGrowsBeyondIt()
    {
        await using var server = new ScriptedComponentServer("s3cr3t");
        var limits = new XmlStreamLimits { MaxQueuedStanzas = 64 };
        await using var connection = await ComponentConnection.ConnectAsync("127.0.0.1", server.Port, "pubpresence.localhost", "s3cr3t",
            TimeSpan.FromSeconds(5), limits, new XmppLinkMonitor(), NullLogger.Instance, ComponentHarness.Timeout());
        await server.Authenticated.Reader.ReadAsync(ComponentHarness.Timeout());
        server.StopReading();

        var payload = new string('x', 1000);
        var sent = 0;
        var largestQueue = 0;
        while (!connection.Closed.IsCancellationRequested && sent < 50_000)
        {
            connection.Send(PresenceStanza.Build("pubpresence.localhost", $"u{sent}@localhost", status: payload).Element);
            sent++;
            largestQueue = Math.Max(largestQueue, connection.QueuedStanzas);
        }

        Assert.True(connection.Closed.IsCancellationRequested, $"the connection was not dropped after {sent} stanzas");
        Assert.InRange(largestQueue, 1, 64);
        var lost = await Assert.ThrowsAsync<XmppLinkLostException>(async () => await connection.ReadStanzaAsync());
        Assert.Contains("stopped reading", lost.Message);
        Assert.Contains("Presence:Xmpp:OutboundQueueCapacity", lost.Message);
    }

    [Fact]
    public async Task TheComponentDropsALinkWhoseServerStoppedReadingAndReconnects()
    {
        await using var h = new ComponentHarness(configure: o => o.OutboundQueueCapacity = 16).Start();
        await h.WaitReadyAsync();
        h.Server.StopReading();

        // The server keeps writing (pings the component must answer) but reads nothing: answers pile up.
        for (var i = 0; i < 200_000 && h.Server.Connections == 1; i++)
        {
            try { await h.Server.SendAsync(Ping(i)); }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException) { break; } // dropped
        }

        var dropped = await h.Component.Monitor.WaitUntilAsync(s => s.LastError?.Contains("stopped reading") == true, ComponentHarness.Timeout());
        Assert.Contains("OutboundQueueCapacity", dropped.LastError);
        await h.Component.Monitor.WaitUntilAsync(s => s.Reconnects >= 1 && s.State == XmppLinkState.Online, ComponentHarness.Timeout());
        await h.WaitReadyAsync();
        Assert.Equal(2, h.Server.Connections);
    }

    [Fact]
    public async Task AServerThatStopsReadingLargeStanzasGetsItsConnectionDroppedOnceTheQueueHoldsItsBytes()
    {
        await using var server = new ScriptedComponentServer("s3cr3t");
        const long bound = 1024 * 1024;
        var limits = new XmlStreamLimits { MaxQueuedStanzas = 100_000, MaxQueuedBytes = bound };
        await using var connection = await ComponentConnection.ConnectAsync("127.0.0.1", server.Port, "pubpresence.localhost", "s3cr3t",
            TimeSpan.FromSeconds(5), limits, new XmppLinkMonitor(), NullLogger.Instance, ComponentHarness.Timeout());
        await server.Authenticated.Reader.ReadAsync(ComponentHarness.Timeout());
        server.StopReading();

        var payload = new string('x', 10_000); // the longest status message the tracker keeps
        var sent = 0;
        var largestQueue = 0;
        var largestBytes = 0L;
        while (!connection.Closed.IsCancellationRequested && sent < 100_000)
        {
            connection.Send(PresenceStanza.Build("pubpresence.localhost", $"u{sent}@localhost", status: payload).Element);
            sent++;
            largestQueue = Math.Max(largestQueue, connection.QueuedStanzas);
            largestBytes = Math.Max(largestBytes, connection.QueuedBytes);
        }

        Assert.True(connection.Closed.IsCancellationRequested, $"the connection was not dropped after {sent} stanzas");
        Assert.InRange(largestBytes, 20_000, bound);
        Assert.InRange(largestQueue, 1, (int)(bound / 20_000)); // each stanza holds more than 20,000 bytes of text
        var lost = await Assert.ThrowsAsync<XmppLinkLostException>(async () => await connection.ReadStanzaAsync());
        Assert.Contains("stopped reading", lost.Message);
        Assert.Contains("Presence:Xmpp:OutboundQueueBytes", lost.Message);
    }

    [Fact]
    public async Task AStanzaLargerThanTheByteBoundIsQueuedWhenTheQueueIsEmpty()
    {
        await using var server = new ScriptedComponentServer("s3cr3t");
        var limits = new XmlStreamLimits { MaxQueuedBytes = 1024 * 1024 };
        await using var connection = await ComponentConnection.ConnectAsync("127.0.0.1", server.Port, "pubpresence.localhost", "s3cr3t",
            TimeSpan.FromSeconds(5), limits, new XmppLinkMonitor(), NullLogger.Instance, ComponentHarness.Timeout());
        await server.Authenticated.Reader.ReadAsync(ComponentHarness.Timeout());

        connection.Send(PresenceStanza.Build("pubpresence.localhost", "big@localhost", status: new string('y', 600_000)).Element);

        var received = await server.ExpectAsync(e => e.Attribute("to")?.Value == "big@localhost");
        Assert.Equal(600_000, received.Element(Namespaces.Component + "status")!.Value.Length);
        Assert.False(connection.Closed.IsCancellationRequested);
        Assert.Equal(0, connection.QueuedBytes);
    }

    [Fact]
    public async Task RepeatedStallsNeverGrowTheQueueBeyondItsBoundAndEveryDroppedConnectionIsReleased()
    {
        const int cycles = 5;
        const int capacity = 16;
        var capture = new LinkCapture();
        await using var h = new ComponentHarness(configure: o => o.OutboundQueueCapacity = capacity);
        h.Component.Registry.Add(capture);
        h.Start();

        var dropped = new List<WeakReference<ComponentConnection>>();
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            var link = await capture.Opened.Reader.ReadAsync(ComponentHarness.Timeout());
            await h.WaitReadyAsync();
            Assert.Equal(cycle, h.Server.Connections);

            h.Server.StopReading();
            var (peak, reason) = await FloodUntilDroppedAsync(h.Server, link);

            Assert.True(reason?.Contains("stopped reading") == true, $"cycle {cycle}: dropped for another reason: {reason}");
            Assert.InRange(peak, 1, capacity); // the stanza that found it full was refused: never beyond the bound
            Assert.Contains("OutboundQueueCapacity", reason);
            dropped.Add(link);
        }

        // The component is back after the last stall, and none of the dropped connections is reachable any more.
        await capture.Opened.Reader.ReadAsync(ComponentHarness.Timeout());
        await h.WaitReadyAsync();
        Assert.Equal(cycles + 1, h.Server.Connections);
        var alive = await CollectAsync(dropped);
        Assert.True(alive.Count == 0, $"dropped connections still reachable after a full GC: cycles {string.Join(", ", alive)}");
    }

    /// <summary>
    /// The server writes pings (the component must answer each) and reads nothing, until the component drops the link.
    /// Returns the connection's queue high-water mark and the drop reason.
    /// </summary>
    private static async Task<(int Peak, string? Reason)> FloodUntilDroppedAsync(ScriptedComponentServer server, WeakReference<ComponentConnection> link)
    {
        for (var batch = 0; batch < 4_000; batch++)
        {
            var (closed, peak, reason) = Probe(link);
            if (closed) return (peak, reason);
            try { await server.SendAsync(string.Concat(Enumerable.Range(batch * 100, 100).Select(i => StanzaSerializer.ToXml(Ping(i))))); }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException) { break; } // dropped
        }
        var last = Probe(link);
        Assert.True(last.Closed, "the component did not drop the link of a server that stopped reading");
        return (last.Peak, last.Reason);
    }

    /// <summary>Reads the connection through the weak reference without keeping it alive in a caller's state machine.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (bool Closed, int Peak, string? Reason) Probe(WeakReference<ComponentConnection> link) =>
        link.TryGetTarget(out var c) ? (c.Closed.IsCancellationRequested, (int)c.PeakQueuedStanzas, c.DropReason) : (true, -1, null);

    /// <summary>
    /// Full blocking GCs until every target is collected; a few rounds, because the last socket callbacks of a disposed
    /// connection may still be on the thread pool. Returns the (1-based) cycles whose connection is still reachable.
    /// </summary>
    private static async Task<List<int>> CollectAsync(List<WeakReference<ComponentConnection>> refs)
    {
        List<int> alive = [];
        for (var round = 0; round < 20; round++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            alive = Enumerable.Range(0, refs.Count).Where(i => refs[i].TryGetTarget(out _)).Select(i => i + 1).ToList();
            if (alive.Count == 0) return alive;
            await Task.Delay(50);
        }
        return alive;
    }

    /// <summary>A module whose connect hook hands each new connection to the test as a weak reference only.</summary>
    private sealed class LinkCapture : IComponentModule
    {
        public Channel<WeakReference<ComponentConnection>> Opened { get; } = Channel.CreateUnbounded<WeakReference<ComponentConnection>>();

        public void Register(ModuleRegistry registry) => registry.Connected((link, _) =>
        {
            Opened.Writer.TryWrite(new WeakReference<ComponentConnection>((ComponentConnection)link));
            return Task.CompletedTask;
        });
    }

    [Theory]
    [InlineData("OutboundQueueCapacity", "15")]
    [InlineData("OutboundQueueCapacity", "many")]
    [InlineData("OutboundQueueBytes", "1048575")]
    [InlineData("OutboundQueueBytes", "lots")]
    public void AnOutboundQueueBoundOutsideItsRangeIsRefusedNamingTheKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Presence:Xmpp:Secret"] = "s",
            ["Presence:Xmpp:" + key] = value,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddXmppComponent(configuration);
        using var sp = services.BuildServiceProvider();

        var ex = Assert.ThrowsAny<Exception>(() => sp.GetRequiredService<IOptions<XmppOptions>>().Value);

        Assert.Contains(key, ex.Message);
    }
}
