using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;
using Presence.Xmpp.Roster;
using Presence.Xmpp.Tests.Support;
using Xunit.Abstractions;

namespace Presence.Xmpp.Tests;

/// <summary>
/// <see cref="XmppComponentService"/> with a leadership the test grants and takes away, against a scripted server:
/// standby until the lease is granted, the link on the lease, a lost lease closing the socket at once, a stop releasing it.
/// </summary>
public sealed class ComponentLeadershipTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScriptedComponentServer _server = new("s3cr3t");
    private readonly FakeLeadership _leadership = new();
    private readonly ListLoggerProvider _log = new();
    private ServiceProvider? _services;

    private XmppComponentService Service => _services!.GetServices<IHostedService>().OfType<XmppComponentService>().Single();

    private XmppLinkMonitor Monitor => _services!.GetRequiredService<XmppLinkMonitor>();

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<XmppComponentService> StartAsync(Dictionary<string, string?>? settings = null, PresenceTracker? tracker = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Presence:Xmpp:Enabled"] = "true",
            ["Presence:Xmpp:Secret"] = "s3cr3t",
            ["Presence:Xmpp:Port"] = _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Presence:Xmpp:ReconnectMinDelay"] = "00:00:00.050",
            ["Presence:Xmpp:ReconnectMaxDelay"] = "00:00:00.400",
            ["Presence:Xmpp:RepopulationQuietPeriod"] = "00:00:00.150",
            ["Presence:Xmpp:KeepaliveInterval"] = "00:00:30",
            ["Presence:Xmpp:SessionDetails"] = "false",
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton(tracker ?? new PresenceTracker(TimeProvider.System));
        services.AddSingleton<ISubscriberStore>(new InMemorySubscriberStore("alice@localhost"));
        services.AddSingleton<IComponentLeadership>(_leadership);
        services.AddXmppComponent(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        _services = services.BuildServiceProvider();
        var service = Service;
        await service.StartAsync(CancellationToken.None);
        return service;
    }

    private Task<XmppLinkSnapshot> WaitStateAsync(XmppLinkState state, int seconds = 10) =>
        Monitor.WaitUntilAsync(s => s.State == state && (state != XmppLinkState.Online || !s.Repopulating), ComponentHarness.Timeout(seconds));

    [Fact]
    public async Task WithoutTheLeaseTheLinkIsOnStandbyAndTheComponentConnectsOnceItIsGranted()
    {
        await StartAsync();
        await _leadership.Requests.Reader.ReadAsync(ComponentHarness.Timeout());
        await WaitStateAsync(XmppLinkState.Standby);
        Assert.Equal(0, _server.Connections);

        _leadership.Grant();
        await WaitStateAsync(XmppLinkState.Online);
        Assert.Equal(1, _server.Connections);
        await _server.ExpectAsync(e => (string?)e.Attribute("type") == "probe" && (string?)e.Attribute("to") == "alice@localhost"); // repopulation as on any connect
        Assert.Contains(_log.Lines, l => l.Contains("node-test is on standby"));
        Assert.Contains(_log.Lines, l => l.Contains("node-test holds the XMPP component"));
    }

    [Fact]
    public async Task ALostLeaseClosesTheSocketAtOnceWithoutClosingTheStreamAndTheNodeWaitsOnStandbyAgain()
    {
        await StartAsync();
        var lease = _leadership.Grant();
        await WaitStateAsync(XmppLinkState.Online);

        _server.HoldClose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // a clean close would wait for this forever
        lease.Lose();
        var clean = await _server.Ended.Reader.ReadAsync(ComponentHarness.Timeout(5));
        Assert.False(clean, "the component closed its stream and waited for the server instead of closing the socket at once");
        await lease.Released.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await _leadership.Requests.Reader.ReadAsync(ComponentHarness.Timeout()); // the first request
        await _leadership.Requests.Reader.ReadAsync(ComponentHarness.Timeout()); // asks again after the loss
        await WaitStateAsync(XmppLinkState.Standby);
        Assert.Contains(_log.Lines, l => l.Contains("lost the XMPP component's lease"));
        Assert.Equal(1, _server.Connections);

        _server.HoldClose = null;
        _leadership.Grant();
        await WaitStateAsync(XmppLinkState.Online);
        Assert.Equal(2, _server.Connections);
    }

    [Fact]
    public async Task StoppingTheHostClosesTheStreamCleanlyAndReleasesTheLease()
    {
        var service = await StartAsync();
        var lease = _leadership.Grant();
        await WaitStateAsync(XmppLinkState.Online);

        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(lease.Released.Task.IsCompleted, "the lease was not released when the service stopped");
        Assert.True(await _server.Ended.Reader.ReadAsync(ComponentHarness.Timeout()), "the stream was not closed cleanly on stop");
        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Equal(XmppLinkState.Disconnected, Monitor.Current.State);
    }

    [Fact]
    public async Task OnStandbyTheNodesXmppStatusesAreAnnotatedServerUnavailable()
    {
        var alice = UserId.Parse("alice@localhost");
        var tracker = new PresenceTracker(TimeProvider.System);
        tracker.Apply(new ResourceAvailableUpdate(alice, "laptop", XmppShow.Chat, 1, "restored"));
        await StartAsync(tracker: tracker);
        await WaitStateAsync(XmppLinkState.Standby);
        var status = tracker.Get(alice)!.Get(Protocols.Xmpp)!;
        Assert.Equal(AnnotationKind.ServerUnavailable, status.Annotation?.Kind);
        Assert.Contains("standby", status.Annotation!.Description);
        Assert.Equal(PresenceState.Available, status.State); // kept, only doubted
    }

    [Fact]
    public async Task StoppingOnStandbyEndsTheWaitForTheLease()
    {
        var service = await StartAsync();
        await WaitStateAsync(XmppLinkState.Standby);
        await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(XmppLinkState.Disconnected, Monitor.Current.State);
        Assert.Equal(0, _server.Connections);
    }

    [Fact]
    public async Task ANewHolderRetriesTheServersConflictQuicklyInsteadOfWithTheLongBackoff()
    {
        // The previous holder's connection lingers at the server: its first three handshakes get 'conflict'. With the
        // configured backoff (5 s doubling) the third retry would come after 17.5 s at the earliest.
        _server.RefuseWithConflict = n => n <= 3;
        await StartAsync(new() { ["Presence:Xmpp:ReconnectMinDelay"] = "00:00:05", ["Presence:Xmpp:ReconnectMaxDelay"] = "00:01:00" });
        await WaitStateAsync(XmppLinkState.Standby);
        var watch = Stopwatch.StartNew();
        _leadership.Grant();
        var online = await WaitStateAsync(XmppLinkState.Online, seconds: 15);
        output.WriteLine($"online {watch.Elapsed.TotalSeconds:0.00} s after the lease, after {_server.ConflictRefusals} conflicts");
        Assert.Equal(3, _server.ConflictRefusals);
        Assert.Equal(4, _server.Connections);
        Assert.Contains("conflict", online.LastError);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(12), $"took {watch.Elapsed}"); // measured 2.3 s, repopulation included
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            try { await Service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
            await _services.DisposeAsync();
        }
        await _server.DisposeAsync();
        output.WriteLine(_log.ToString());
    }

    private sealed class FakeLeadership : IComponentLeadership
    {
        private TaskCompletionSource<FakeLease> _grant = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string NodeName => "node-test";

        /// <summary>One entry per call of <see cref="AcquireAsync"/>.</summary>
        public Channel<int> Requests { get; } = Channel.CreateUnbounded<int>();

        public FakeLease Grant()
        {
            var lease = new FakeLease();
            Volatile.Read(ref _grant).TrySetResult(lease);
            return lease;
        }

        public async ValueTask<IComponentLease> AcquireAsync(CancellationToken cancellationToken)
        {
            Requests.Writer.TryWrite(0);
            var grant = Volatile.Read(ref _grant);
            var lease = await grant.Task.WaitAsync(cancellationToken);
            Interlocked.CompareExchange(ref _grant, new(TaskCreationOptions.RunContinuationsAsynchronously), grant);
            return lease;
        }
    }

    private sealed class FakeLease : IComponentLease
    {
        private readonly CancellationTokenSource _lost = new();

        public CancellationToken Lost => _lost.Token;

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Lose() => _lost.Cancel();

        public ValueTask DisposeAsync()
        {
            Released.TrySetResult();
            return default;
        }
    }
}
