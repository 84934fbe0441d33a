using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Presence.Domain.Tracking;
using Presence.Web.Cluster;
using Presence.Web.Tests.Infrastructure;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;
using Presence.Xmpp.Roster;
using Presence.Xmpp.Tests.Support;
using Xunit.Abstractions;

namespace Presence.Web.Tests.Cluster;

/// <summary>
/// Two nodes' component services with the PostgreSQL leadership on one private database, against one scripted XMPP
/// server: one node holds the link, the other is on standby and takes over when the holder stops or loses its lock.
/// </summary>
public sealed class ComponentTakeoverTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly ScriptedComponentServer _xmpp = new("s3cr3t");
    private readonly List<ServiceProvider> _nodes = [];
    private readonly string _jid = $"pubpresence-{Guid.NewGuid():N}.localhost";

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<(XmppComponentService Service, XmppLinkMonitor Link)> StartNodeAsync(string node)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Presence:Xmpp:Enabled"] = "true",
            ["Presence:Xmpp:Secret"] = "s3cr3t",
            ["Presence:Xmpp:ComponentJid"] = _jid,
            ["Presence:Xmpp:Port"] = _xmpp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Presence:Xmpp:KeepaliveInterval"] = "00:00:30",
            ["Presence:Xmpp:RepopulationQuietPeriod"] = "00:00:00.150",
            ["Presence:Xmpp:SessionDetails"] = "false",
            // ReconnectMinDelay and ReconnectMaxDelay keep their defaults (1 s doubling to 60 s).
        };
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new OutputLoggerProvider(output, node + " ")).SetMinimumLevel(LogLevel.Information));
        services.AddSingleton(new PresenceTracker(TimeProvider.System));
        services.AddSingleton<ISubscriberStore>(new InMemorySubscriberStore("alice@localhost"));
        services.AddSingleton<IComponentLeadership>(sp => new PostgresComponentLeadership(server.ConnectionString("postgres"), _jid, node,
            sp.GetRequiredService<ILogger<PostgresComponentLeadership>>(), checkInterval: TimeSpan.FromSeconds(1)));
        services.AddXmppComponent(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        var service = provider.GetServices<IHostedService>().OfType<XmppComponentService>().Single();
        await service.StartAsync(CancellationToken.None);
        return (service, provider.GetRequiredService<XmppLinkMonitor>());
    }

    private static Task<XmppLinkSnapshot> ReadyAsync(XmppLinkMonitor link, int seconds = 20) =>
        link.WaitUntilAsync(s => s.State == XmppLinkState.Online && !s.Repopulating, new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token);

    private static Task<XmppLinkSnapshot> StandbyAsync(XmppLinkMonitor link, int seconds = 20) =>
        link.WaitUntilAsync(s => s.State == XmppLinkState.Standby, new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token);

    [Fact]
    public async Task WhenTheHoldersDatabaseConnectionIsTerminatedItClosesItsLinkAndTheOtherNodeTakesOverWithinSeconds()
    {
        if (Skip()) return;
        _xmpp.OneConnectionPerComponent = true; // as Prosody: a second connection for the JID gets 'conflict'
        var a = await StartNodeAsync("node-ta");
        await ReadyAsync(a.Link);
        var b = await StartNodeAsync("node-tb");
        await StandbyAsync(b.Link);
        Assert.Equal(1, _xmpp.Connections);

        var watch = Stopwatch.StartNew();
        await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'node-ta'", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }
        Assert.False(await _xmpp.Ended.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token), "the old holder closed its stream cleanly instead of its socket at once");
        var closed = watch.Elapsed;
        await ReadyAsync(b.Link, seconds: 10);
        var online = watch.Elapsed;
        await StandbyAsync(a.Link, seconds: 10);
        output.WriteLine($"old holder's link closed after {closed.TotalMilliseconds:0} ms; new holder online and repopulated after {online.TotalMilliseconds:0} ms; {_xmpp.ConflictRefusals} conflict(s)");
        Assert.True(online < TimeSpan.FromSeconds(10), $"takeover took {online}"); // measured under 2 s, repopulation included
    }

    [Fact]
    public async Task WhenTheHolderStopsItClosesItsStreamReleasesTheLockAndTheOtherNodeTakesOverWithoutTwoLinksAtOnce()
    {
        if (Skip()) return;
        // Like ejabberd, this server would accept a second connection: only the lock keeps the links to one.
        var a = await StartNodeAsync("node-sa");
        await ReadyAsync(a.Link);
        var b = await StartNodeAsync("node-sb");
        await StandbyAsync(b.Link);

        var watch = Stopwatch.StartNew();
        await a.Service.StopAsync(CancellationToken.None);
        var stopped = watch.Elapsed;
        await ReadyAsync(b.Link, seconds: 10);
        var online = watch.Elapsed;
        output.WriteLine($"holder stopped after {stopped.TotalMilliseconds:0} ms; new holder online and repopulated after {online.TotalMilliseconds:0} ms");
        Assert.True(await _xmpp.Ended.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token), "the stopping holder did not close its stream cleanly");
        Assert.Equal(1, _xmpp.MaxAuthenticatedAtOnce);
        Assert.Equal(2, _xmpp.Connections);
        Assert.Equal(XmppLinkState.Disconnected, a.Link.Current.State);
        Assert.True(online < TimeSpan.FromSeconds(10), $"takeover took {online}"); // measured under 2 s, repopulation included
    }

    private bool Skip()
    {
        if (server.SkipReason is not { } why) return false;
        output.WriteLine("SKIPPED: " + why);
        return true;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try { await node.GetServices<IHostedService>().OfType<XmppComponentService>().Single().StopAsync(CancellationToken.None); }
            catch (Exception ex) { output.WriteLine("stopping a node: " + ex.Message); }
            await node.DisposeAsync();
        }
        await _xmpp.DisposeAsync();
    }
}
