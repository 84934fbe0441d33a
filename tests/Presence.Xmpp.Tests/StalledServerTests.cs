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

/// <summary>An XMPP server that stops reading: the outbound queue stays bounded, the link is dropped and re-established.</summary>
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

    [Theory]
    [InlineData("15")]
    [InlineData("many")]
    public void AnOutboundQueueCapacityOutsideItsRangeIsRefusedNamingTheKey(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Presence:Xmpp:Secret"] = "s",
            ["Presence:Xmpp:OutboundQueueCapacity"] = value,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddXmppComponent(configuration);
        using var sp = services.BuildServiceProvider();

        var ex = Assert.ThrowsAny<Exception>(() => sp.GetRequiredService<IOptions<XmppOptions>>().Value);

        Assert.Contains("OutboundQueueCapacity", ex.Message);
    }
}
