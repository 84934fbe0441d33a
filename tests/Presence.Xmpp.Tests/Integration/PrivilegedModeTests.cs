using System.Diagnostics;
using Presence.Domain.Model;
using Presence.Xmpp.Component;
using Presence.Xmpp.Privilege;
using Presence.Xmpp.Tests.Support;
using Xunit.Abstractions;
using static Presence.Xmpp.Tests.Integration.ComponentScenarios;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>Privileged mode against a real Prosody 0.12 with <c>mod_privilege</c> (prosody-modules).</summary>
public sealed class PrivilegedModeOnProsodyTests(PrivilegedModeOnProsodyTests.Fixture fixture, ITestOutputHelper output)
    : PrivilegedModeTests(fixture, output), IClassFixture<PrivilegedModeOnProsodyTests.Fixture>
{
    /// <inheritdoc />
    protected override bool ServerForwardsCurrentPresences => true;

    /// <summary>Prosody with <c>privileged_entities</c> for the component and <c>mod_privilege</c> on it.</summary>
    public sealed class Fixture : ProsodyFixture
    {
        protected override ProsodySettings Settings => new(Users: Users, Privileged: true);
    }
}

/// <summary>Privileged mode against a real ejabberd 23.01 with <c>mod_privilege</c>.</summary>
public sealed class PrivilegedModeOnEjabberdTests(PrivilegedModeOnEjabberdTests.Fixture fixture, ITestOutputHelper output)
    : PrivilegedModeTests(fixture, output), IClassFixture<PrivilegedModeOnEjabberdTests.Fixture>
{
    /// <summary>ejabberd 23.01 forwards only presences clients send; the component lists online sessions instead.</summary>
    protected override bool ServerForwardsCurrentPresences => false;

    /// <summary>ejabberd with <c>mod_privilege</c> granting <c>presence: managed_entity</c> to the component.</summary>
    public sealed class Fixture : EjabberdFixture
    {
        protected override EjabberdSettings Settings => new(Users: Users, Privileged: true);
    }
}

/// <summary>
/// Privileged mode (XEP-0356): a server granting the component presence permission <c>managed_entity</c>, and real
/// slixmpp clients that never add the component to their roster (issue 10). Run against each server.
/// </summary>
public abstract class PrivilegedModeTests(IXmppServerFixture fixture, ITestOutputHelper output)
{
    /// <summary>The users each fixture registers.</summary>
    protected const string Users = "alice bob carol dave erin frank gina harry";

    /// <summary>
    /// Whether the server forwards the current presences (show, status) right after the handshake (XEP-0356 §7).
    /// When it does not, the component learns only that those sessions are online.
    /// </summary>
    protected abstract bool ServerForwardsCurrentPresences { get; }

    private LiveComponent NewComponent(InMemorySubscriberStore? store = null, Presence.Domain.Tracking.PresenceTracker? tracker = null)
    {
        // Default ping and audit intervals: a retraction must not depend on a short PingInterval.
        var component = new LiveComponent(fixture.Xmpp, store, o => o.PingInterval = TimeSpan.FromMinutes(1), tracker);
        component.Logs.Echo = output.WriteLine;
        return component;
    }

    [Fact]
    public async Task TheComponentReadsThePresencePermissionAndShowsPrivilegedModeInItsStatusAndLog()
    {
        await using var component = await NewComponent().StartReadyAsync();

        Assert.Equal(PresenceMode.Privileged, component.Component.Monitor.Current.PresenceMode);
        Assert.Contains(component.Logs.Lines, l => l.Message.Contains("Presence mode: privileged") && l.Message.Contains("managed_entity"));
    }

    [Fact]
    public async Task AUserWhoNeverAddedTheComponentIsPublishedWhenOnlineAndRetractedWhenOffline()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var alice = await fixture.ClientAsync("alice@localhost/laptop");
        await using var bob = await fixture.ClientAsync("bob@localhost/reader");

        await alice.RunAsync("presence dnd 2 in a meeting");

        var xmpp = await component.Tracker.WaitForXmppAsync("alice@localhost", x => x?.Show == XmppShow.Dnd, "alice dnd without any subscription");
        Assert.Equal("in a meeting", xmpp!.Message);
        await bob.RunAsync("presence online 0");
        await bob.ConsumeAsync();
        await bob.WaitForStateAsync(Has("alice@localhost", "dnd", "alice@localhost/laptop"), "alice's item in the node");

        await alice.RunAsync("unavailable");

        await bob.WaitForAsync(e => e.Is("retracted") && e.Str("id") == "alice@localhost", "retract of alice");
        await component.Tracker.WaitForXmppAsync("alice@localhost", x => x is null || x.State == PresenceState.Unavailable, "alice unavailable");
        Assert.Empty(component.Store.Items);
    }

    [Fact]
    public async Task TheIpAttributeIsFilledFromTheServersAdminCommands()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var erin = await fixture.ClientAsync("erin@localhost/tablet");

        await erin.RunAsync("presence chat 0");

        var xmpp = await component.Tracker.WaitForXmppAsync("erin@localhost", x => x?.Resources.FirstOrDefault()?.Ip is not null, "erin's IP");
        Assert.Equal(("tablet", "127.0.0.1"), (xmpp!.Resources[0].Resource, xmpp.Resources[0].Ip));
    }

    /// <summary>Longest time from a session's end to the retraction of its user's item (the goal for both servers).</summary>
    private static readonly TimeSpan RetractionBound = TimeSpan.FromSeconds(5);

    /// <summary>The fixtures' XEP-0198 resumption time (ejabberd <c>resume_timeout</c>, Prosody <c>smacks_hibernation_time</c>).</summary>
    private static readonly TimeSpan Resumption = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task AUserWhoseSessionEndsWithoutAnUnavailableIsRetractedWithinFiveSeconds()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var bob = await fixture.ClientAsync("bob@localhost/watcher");
        await bob.RunAsync("presence online 0");
        await bob.ConsumeAsync();
        var carol = await fixture.ClientAsync("carol@localhost/phone");
        await carol.RunAsync("presence away 0");
        await bob.WaitForStateAsync(Has("carol@localhost", "away", "carol@localhost/phone"), "carol's item in the node");

        // slixmpp closes the stream without sending unavailable: the server ends the session and generates it itself.
        // Timed from sending the close (an upper bound of the time from the session's end): the client's own
        // "disconnected" event comes after the server's reply, which may be after the retraction.
        var quit = DateTimeOffset.UtcNow;
        await carol.SendAsync("quit");
        await carol.WaitForAsync(e => e.Is("disconnected"), "carol's stream closed");
        var retract = await bob.WaitForAsync(e => e.Is("retracted") && e.Str("id") == "carol@localhost", "retract of carol after her session ended",
            RetractionBound + TimeSpan.FromSeconds(1));
        await carol.DisposeAsync();

        // The client stamps its events with the machine's clock (Unix seconds), as DateTimeOffset.UtcNow reads it.
        var latency = DateTimeOffset.FromUnixTimeMilliseconds((long)(retract.GetProperty("t").GetDouble() * 1000)) - quit;
        output.WriteLine($"carol retracted {latency.TotalSeconds:0.000} s after she closed her stream");
        Assert.True(latency <= RetractionBound, $"carol retracted only {latency.TotalSeconds:0.0} s after her session ended");
        await bob.WaitForStateAsync(u => !u.ContainsKey("carol@localhost"), "no carol in the node");
        await component.Tracker.WaitForXmppAsync("carol@localhost", x => x is null || x.State == PresenceState.Unavailable, "carol unavailable after her session ended");
        Assert.DoesNotContain(component.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && l.Category.Contains("OnlineSessionAudit"));
    }

    [Fact]
    public async Task AUserWhoseConnectionIsCutIsRetractedWithinFiveSecondsOfTheResumptionTimeEnding()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var dave = await fixture.ClientAsync("dave@localhost/watcher");
        await dave.RunAsync("presence online 0");
        await dave.ConsumeAsync();
        await using var gina = await fixture.ClientAsync("gina@localhost/phone");
        await gina.RunAsync("presence dnd 0 meeting");
        await dave.WaitForStateAsync(Has("gina@localhost", "dnd"), "gina's item in the node");

        var cut = Stopwatch.StartNew();
        await gina.RunAsync("kill"); // TCP closed without </stream:stream>: the server keeps the session for resumption, then ends it

        await dave.WaitForAsync(e => e.Is("retracted") && e.Str("id") == "gina@localhost", "retract of gina after her session expired",
            Resumption + RetractionBound + TimeSpan.FromSeconds(1));
        var elapsed = cut.Elapsed;
        output.WriteLine($"gina retracted {elapsed.TotalSeconds:0.000} s after her connection was cut (resumption {Resumption.TotalSeconds} s)");
        Assert.True(elapsed >= Resumption - TimeSpan.FromSeconds(1), $"gina retracted after {elapsed.TotalSeconds:0.0} s, while her session could still be resumed");
        Assert.True(elapsed <= Resumption + RetractionBound, $"gina retracted only {elapsed.TotalSeconds:0.0} s after the cut");
    }

    [Fact]
    public async Task UsersOnlineBeforeTheServiceStartsArePublishedAfterItStartsWithoutProbesOrSubscriptionRequests()
    {
        await using var dave = await fixture.ClientAsync("dave@localhost/desk");
        await using var erin = await fixture.ClientAsync("erin@localhost/reader");
        await dave.RunAsync("presence xa 1 on holiday");
        await erin.RunAsync("presence online 0");

        await using var component = await NewComponent().StartReadyAsync();

        var expected = ServerForwardsCurrentPresences ? "xa" : "online";
        var xmpp = await component.Tracker.WaitForXmppAsync("dave@localhost", x => x is not null && x.Show.ToString()!.ToLowerInvariant() == expected, $"dave {expected}, online before the start");
        Assert.Equal(ServerForwardsCurrentPresences ? "on holiday" : "", xmpp!.Message);
        await erin.ConsumeAsync();
        await erin.WaitForStateAsync(Has("dave@localhost", expected), "dave's item");
        Assert.DoesNotContain(component.Logs.Lines, l => l.Message.StartsWith("Probed", StringComparison.Ordinal));
        Assert.DoesNotContain(dave.Events.Concat(erin.Events), e => e.Is("subscribe"));
        Assert.DoesNotContain(dave.Events, e => e.Str("from") == Service && e.Str("type") == "probe");
    }

    [Fact]
    public async Task AUserWhoSubscribesAnywayIsApprovedButNeverAskedToSubscribeBack()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var frank = await fixture.ClientAsync("frank@localhost/desk");
        await frank.RunAsync("approve-all");
        await frank.RunAsync("presence online 0");

        await frank.RunAsync("subscribe " + Service);

        await frank.WaitForAsync(e => e.Is("subscribed") && e.Str("from") == Service, "subscribed from the component");
        await frank.WaitForAsync(e => e.IsPresence(Service), "the component's presence");
        await component.Tracker.WaitForXmppAsync("frank@localhost", x => x?.State == PresenceState.Available, "frank available");
        Assert.DoesNotContain(frank.Events, e => e.Is("subscribe"));
    }

    [Fact]
    public async Task ARestartPurgesTheNodeRepopulatesItFromTheForwardedPresencesAndThenAnnouncesAvailable()
    {
        var store = new InMemorySubscriberStore();
        // One tracker for both runs: the state the service restores from its database after a restart.
        var tracker = new Presence.Domain.Tracking.PresenceTracker(TimeProvider.System);
        await using var harry = await fixture.ClientAsync("harry@localhost/reader");
        await harry.RunAsync("approve-all");
        await harry.RunAsync("presence online 0");
        await using var gina = await fixture.ClientAsync("gina@localhost/desk");
        await using (var first = await NewComponent(store, tracker).StartReadyAsync())
        {
            await gina.RunAsync("presence away 2 coffee");
            await harry.RunAsync("subscribe " + Service); // to see the service presence (consumer protocol step 0, tests/clients/xmpp_client.py)
            await harry.WaitForAsync(e => e.IsPresence(Service), "the component's presence");
            await harry.ConsumeAsync();
            await harry.WaitForStateAsync(Has("gina@localhost", "away"), "gina away before the restart");
            await first.StopAsync();
        }
        var mark = harry.SkipToEnd();

        await using var second = await NewComponent(store, tracker).StartReadyAsync();

        await harry.WaitForAsync(e => e.Is("purged"), "purge notification");
        await harry.WaitForAsync(e => e.IsPresence(Service), "the service available again", TimeSpan.FromSeconds(15));
        await harry.WaitForStateAsync(Has("gina@localhost", "away"), "gina republished");
        var after = harry.Events.Skip(mark).ToList();
        var purge = after.FindIndex(e => e.Is("purged"));
        var republished = after.FindIndex(purge, e => e.Is("published") && e.Str("id") == "gina@localhost");
        var available = after.FindIndex(purge, e => e.IsPresence(Service));
        Assert.True(republished > purge, "gina was not republished after the purge");
        Assert.True(republished < available, "the service was announced available before the node was repopulated: " + string.Join("\n", after));
        Assert.Equal(PresenceMode.Privileged, second.Component.Monitor.Current.PresenceMode);
    }
}
