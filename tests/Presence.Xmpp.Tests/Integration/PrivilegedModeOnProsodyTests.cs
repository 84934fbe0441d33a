using Presence.Domain.Model;
using Presence.Xmpp.Component;
using Presence.Xmpp.Privilege;
using Presence.Xmpp.Tests.Support;
using Xunit.Abstractions;
using static Presence.Xmpp.Tests.Integration.ComponentScenarios;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>
/// Privileged mode (XEP-0356) against a real Prosody 0.12 with <c>mod_privilege</c> granting the component presence
/// permission <c>managed_entity</c>, and real slixmpp clients that never add the component to their roster (issue 10).
/// </summary>
public sealed class PrivilegedModeOnProsodyTests(PrivilegedModeOnProsodyTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<PrivilegedModeOnProsodyTests.Fixture>
{
    /// <summary>Prosody with <c>privileged_entities</c> for the component.</summary>
    public sealed class Fixture : ProsodyFixture
    {
        protected override ProsodySettings Settings => new(Users: "alice bob carol dave erin frank gina harry", Privileged: true);
    }

    private LiveComponent NewComponent(InMemorySubscriberStore? store = null)
    {
        var component = new LiveComponent(fixture.Server, store);
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
    public async Task AUserWhoseSessionEndsWithoutAnUnavailableIsRetracted()
    {
        await using var component = await NewComponent().StartReadyAsync();
        var carol = await fixture.ClientAsync("carol@localhost/phone");
        await carol.RunAsync("presence away 0");
        await component.Tracker.WaitForXmppAsync("carol@localhost", x => x?.Show == XmppShow.Away, "carol away");

        await carol.SendAsync("quit"); // closes the stream: the server ends the session and sends the unavailable itself
        await carol.DisposeAsync();

        await component.Tracker.WaitForXmppAsync("carol@localhost", x => x is null || x.State == PresenceState.Unavailable, "carol unavailable after her session ended");
    }

    [Fact]
    public async Task UsersOnlineBeforeTheServiceStartsArePublishedAfterItStartsWithoutProbesOrSubscriptionRequests()
    {
        await using var dave = await fixture.ClientAsync("dave@localhost/desk");
        await using var erin = await fixture.ClientAsync("erin@localhost/reader");
        await dave.RunAsync("presence xa 1 on holiday");
        await erin.RunAsync("presence online 0");

        await using var component = await NewComponent().StartReadyAsync();

        var xmpp = await component.Tracker.WaitForXmppAsync("dave@localhost", x => x?.Show == XmppShow.Xa, "dave xa, online before the start");
        Assert.Equal("on holiday", xmpp!.Message);
        await erin.ConsumeAsync();
        await erin.WaitForStateAsync(Has("dave@localhost", "xa"), "dave's item");
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
        await using var gina = await fixture.ClientAsync("gina@localhost/desk");
        await using var harry = await fixture.ClientAsync("harry@localhost/reader");
        await gina.RunAsync("presence away 2 coffee");
        await harry.RunAsync("approve-all");
        await harry.RunAsync("presence online 0");
        await using (var first = await NewComponent(store).StartReadyAsync())
        {
            await harry.RunAsync("subscribe " + Service); // to see the service presence of seed 000 step 0
            await harry.WaitForAsync(e => e.IsPresence(Service), "the component's presence");
            await harry.ConsumeAsync();
            await harry.WaitForStateAsync(Has("gina@localhost", "away"), "gina away before the restart");
            await first.StopAsync();
        }
        var mark = harry.SkipToEnd();

        await using var second = await NewComponent(store).StartReadyAsync();

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
