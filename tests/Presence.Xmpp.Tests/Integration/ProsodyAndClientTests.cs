using System.Text.Json;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>The fixture itself against Prosody and slixmpp, without the component: proves what the component tests rely on.</summary>
public sealed class ProsodyAndClientTests(ProsodyAndClientTests.Fixture fixture) : IClassFixture<ProsodyAndClientTests.Fixture>
{
    /// <summary>alice may create nodes (Prosody 0.12: only admins can), to exercise the consumer protocol by hand.</summary>
    public sealed class Fixture : ProsodyFixture
    {
        protected override ProsodySettings Settings => new(Hibernation: 4, ExtraAdmins: "alice@localhost");
    }

    private const string PubSub = ProsodyServer.PubSubJid;

    [Fact]
    public async Task TwoClientsSeeEachOthersShowStatusAndPriorityAfterASubscription()
    {
        await using var bob = await fixture.ClientAsync("bob@localhost/desk");
        await using var carol = await fixture.ClientAsync("carol@localhost/phone");
        await bob.RunAsync("presence online 0");
        await carol.RunAsync("approve-all");
        await carol.RunAsync("presence dnd 7 in a meeting <&> \"quoted\" ✓ שלום");
        await bob.RunAsync("subscribe carol@localhost");

        var seen = await bob.WaitForAsync(e => e.IsPresence("carol@localhost"), "carol's presence");

        Assert.Equal("dnd", seen.Str("show"));
        Assert.Equal(7, seen.GetProperty("priority").GetInt32());
        Assert.Equal("in a meeting <&> \"quoted\" ✓ שלום", seen.Str("status"));
    }

    [Fact]
    public async Task ConsumerProtocolBuffersEventsFetchesItemsAndFollowsPublishRetractAndPurge()
    {
        await using var alice = await fixture.ClientAsync("alice@localhost/admin");
        await using var dave = await fixture.ClientAsync("dave@localhost/reader");
        await alice.RunAsync("presence online 0");
        await dave.RunAsync("presence online 0");
        await alice.RunAsync($"pubsub-create {PubSub} consumer-test");
        await alice.RunAsync($"pubsub-publish {PubSub} consumer-test bob@localhost away bob@localhost/desk");

        // No service to probe here: step 0 times out quickly and the protocol continues.
        await dave.RunAsync($"consume nobody.localhost {PubSub} consumer-test 0.1");
        await dave.WaitForStateAsync(u => u.Count == 1 && u["bob@localhost"].Str("status") == "away", "bob away");

        await alice.RunAsync($"pubsub-publish {PubSub} consumer-test carol@localhost dnd");
        await alice.RunAsync($"pubsub-publish {PubSub} consumer-test bob@localhost xa");
        await alice.RunAsync($"pubsub-retract {PubSub} consumer-test carol@localhost");
        var users = await dave.WaitForStateAsync(u => u.Count == 1 && u["bob@localhost"].Str("status") == "xa", "bob xa and carol retracted");
        Assert.Equal("urn:x-pubpresence:user:0", users["bob@localhost"].Str("ns"));

        await alice.RunAsync($"pubsub-purge {PubSub} consumer-test");
        await dave.WaitForAsync(e => e.Is("purged"), "purge notification");
        await dave.WaitForStateAsync(u => u.Count == 0, "empty map after purge");
    }

    [Fact]
    public async Task AClientCutWithoutClosingTheStreamIsHibernatedAndCanResume()
    {
        await using var erin = await fixture.ClientAsync("erin@localhost/laptop");
        await using var frank = await fixture.ClientAsync("frank@localhost/watcher");
        await erin.RunAsync("approve-all");
        await erin.RunAsync("presence online 0");
        await frank.RunAsync("presence online 0");
        await frank.RunAsync("subscribe erin@localhost");
        await frank.WaitForAsync(e => e.IsPresence("erin@localhost"), "erin available");

        await erin.RunAsync("kill");
        await erin.WaitForAsync(e => e.Is("disconnected"), "transport closed");
        // While hibernated, pings to the resource go unanswered (TESTING.md): frank's ping times out or errors.
        await erin.RunAsync("reconnect");
        await erin.WaitForAsync(e => e.Is("resumed"), "session resumed (XEP-0198)", TimeSpan.FromSeconds(15));
        var pong = await frank.TryRunAsync("ping erin@localhost/laptop");
        Assert.True(pong.Is("done"), pong.ToString());
        Assert.DoesNotContain(frank.Events, e => e.IsPresence("erin@localhost/laptop", "unavailable"));
    }

    [Fact]
    public async Task AHibernatedSessionEndsWithUnavailableAfterTheHibernationTime()
    {
        await using var alice = await fixture.ClientAsync("alice@localhost/hibernating");
        await using var bob = await fixture.ClientAsync("bob@localhost/watcher");
        await alice.RunAsync("approve-all");
        await alice.RunAsync("presence away 0");
        await bob.RunAsync("presence online 0");
        await bob.RunAsync("subscribe alice@localhost");
        await bob.WaitForAsync(e => e.IsPresence("alice@localhost/hibernating"), "alice available");

        var cut = DateTime.UtcNow;
        await alice.RunAsync("kill");

        var gone = await bob.WaitForAsync(e => e.IsPresence("alice@localhost/hibernating", "unavailable"), "alice unavailable", TimeSpan.FromSeconds(15));
        Assert.True(DateTime.UtcNow - cut >= TimeSpan.FromSeconds(3), "unavailable came before the hibernation time");
        Assert.Contains("Hibernating", gone.Str("status") ?? "");
    }

    [Fact]
    public async Task WrongPasswordIsReportedAsNotAuthorized()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.ClientAsync("bob@localhost/x", "wrong"));
        Assert.Contains("not-authorized", failure.Message);
    }
}

/// <summary>Killing and restarting the server: what the "Prosody killed / back" component tests rely on.</summary>
public sealed class ProsodyRestartTests : IAsyncLifetime
{
    private ProsodyServer _server = null!;

    public async Task InitializeAsync() => _server = await ProsodyServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AKilledServerDropsClientsAndComesBackOnTheSamePortWithItsUsers()
    {
        await using var alice = await XmppClientProcess.StartAsync("alice@localhost/a", ProsodyServer.Password, _server.C2sPort);
        var port = _server.C2sPort;

        await _server.KillAsync();
        await alice.WaitForAsync(e => e.Is("disconnected"), "connection dropped");
        Assert.Null(_server.Pid);

        await _server.StartAgainAsync();
        Assert.Equal(port, _server.C2sPort);
        await using var again = await XmppClientProcess.StartAsync("alice@localhost/b", ProsodyServer.Password, _server.C2sPort);
        await again.RunAsync("presence chat 1 back");
        await again.WaitForAsync(e => e.IsPresence("alice@localhost/b") && e.Str("show") == "chat", "own presence echoed");
    }
}
