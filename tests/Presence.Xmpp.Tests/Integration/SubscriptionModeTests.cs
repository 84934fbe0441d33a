using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Xmpp.Component;
using Presence.Xmpp.Tests.Support;
using Xunit.Abstractions;
using static Presence.Xmpp.Tests.Integration.ComponentScenarios;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>Subscription mode against a real Prosody 0.12 (no mod_privilege) and real slixmpp clients (issue 3).</summary>
public sealed class ComponentOnProsodyTests(ComponentOnProsodyTests.Fixture fixture, ITestOutputHelper output)
    : SubscriptionModeTests(fixture, output), IClassFixture<ComponentOnProsodyTests.Fixture>
{
    /// <summary>Outgoing s2s allowed (no listener) so a probe to an unknown domain gets remote-server-not-found.</summary>
    public sealed class Fixture : ProsodyFixture
    {
        protected override ProsodySettings Settings => new(Users: AllUsers, S2s: true);
    }

    [Fact]
    public async Task AProbeToAUserOfAnUnreachableDomainAnnotatesThatDomainServerUnavailable()
    {
        var store = new InMemorySubscriberStore("ghost@nowhere.invalid");
        await using var component = NewComponent(store: store);
        var now = DateTimeOffset.UtcNow;
        // The ghost's last known status, as restored from the database after a restart.
        component.Tracker.Restore([new UserPresence(UserId.Parse("ghost@nowhere.invalid"),
            [new ProtocolStatus(Protocols.Xmpp, PresenceState.Available, "", now, Show: XmppShow.Online,
                Resources: [new ResourcePresence("home", XmppShow.Online, 0, "", now)])], now)]);
        await using var mia = await fixture.ClientAsync("mia@localhost/desk");
        component.Start();
        await component.WaitReadyAsync();
        await mia.SubscribeToComponentAsync(component);

        await component.Tracker.WaitUntilAsync(_ => component.Component.Annotator.IsUnreachable("nowhere.invalid"), "nowhere.invalid marked unreachable");
        var ghost = component.Tracker.Xmpp("ghost@nowhere.invalid");

        // Still there after repopulation (not dropped as "did not answer"), annotated for its server.
        Assert.Equal(AnnotationKind.ServerUnavailable, ghost!.Annotation!.Kind);
        Assert.Equal(Service, ghost.Annotation.From);
        Assert.Contains(component.Logs.Lines, l => l.Message.Contains("remote-server-not-found") && l.Message.Contains("nowhere.invalid"));
        var mias = await component.Tracker.WaitForXmppAsync("mia@localhost", x => x?.State == PresenceState.Available, "mia available");
        Assert.Null(mias!.Annotation);
    }
}

/// <summary>Subscription mode (the fallback without XEP-0356) against a real ejabberd 23.01 without mod_privilege.</summary>
public sealed class ComponentOnEjabberdTests(ComponentOnEjabberdTests.Fixture fixture, ITestOutputHelper output)
    : SubscriptionModeTests(fixture, output), IClassFixture<ComponentOnEjabberdTests.Fixture>
{
    /// <summary>ejabberd in subscription mode.</summary>
    public sealed class Fixture : EjabberdFixture
    {
        protected override EjabberdSettings Settings => new(Users: AllUsers);
    }

    [Fact]
    public async Task TheComponentFallsBackToSubscriptionModeWithoutAPermissionAdvertisement()
    {
        await using var component = await NewComponent().StartReadyAsync();

        Assert.Equal(Presence.Xmpp.Privilege.PresenceMode.Subscription, component.Component.Monitor.Current.PresenceMode);
        Assert.Contains(component.Logs.Lines, l => l.Message.Contains("Presence mode: subscription"));
    }
}

/// <summary>The pubpresence component in subscription mode (users add it to their roster), run against each server.</summary>
public abstract class SubscriptionModeTests(IXmppServerFixture fixture, ITestOutputHelper output)
{
    /// <summary>The users each fixture registers.</summary>
    protected const string AllUsers = "alice bob carol dave erin frank gina harry ivan judy kate leo mia nick olga pete";

    protected LiveComponent NewComponent(Action<XmppOptions>? configure = null, InMemorySubscriberStore? store = null, string? secret = null)
    {
        var component = new LiveComponent(fixture.Xmpp, store, configure, secret: secret);
        component.Logs.Echo = output.WriteLine;
        return component;
    }

    [Fact]
    public async Task AWrongSecretIsLoggedWithTheServersErrorAndRetriedWithGrowingDelays()
    {
        await using var component = NewComponent(secret: "not-the-secret").Start();

        await component.Component.Monitor.WaitUntilAsync(s => s.Reconnects >= 3, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        var snapshot = component.Component.Monitor.Current;
        Assert.NotEqual(XmppLinkState.Online, snapshot.State);
        Assert.Contains("not-authorized", snapshot.LastError);
        Assert.Contains(component.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("not-authorized") && l.Message.Contains("Secret"));
        var delays = component.Logs.Lines.Select(l => Regex.Match(l.Message, @"Reconnecting in ([0-9.]+) s")).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(delays.Count >= 3, string.Join(", ", delays));
        Assert.True(delays[2] > delays[0], $"backoff does not grow: {string.Join(", ", delays)}");
        Assert.False(component.Running!.IsCompleted, "the component stopped instead of retrying");
    }

    [Fact]
    public async Task SubscribingToTheComponentIsApprovedAskedBackAndTheUsersPresenceReachesTheTracker()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var alice = await fixture.ClientAsync("alice@localhost/laptop");

        await alice.SubscribeToComponentAsync(component, "presence away 3 lunch");

        Assert.Contains(alice.Events, e => e.Is("subscribe") && e.Str("from") == Service);
        await alice.WaitForAsync(e => e.IsPresence(Service), "the component's available presence");
        var xmpp = await component.Tracker.WaitForXmppAsync("alice@localhost", x => x?.Show == XmppShow.Away, "away");
        Assert.Equal(PresenceState.Away, xmpp!.State);
        Assert.Equal("lunch", xmpp.Message);
        Assert.Equal(3, Assert.Single(xmpp.Resources).Priority);
    }

    [Fact]
    public async Task EveryShowValuePriorityAndResourceEndsUpAsTheRightItemForASeedConsumer()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var desk = await fixture.ClientAsync("bob@localhost/desk");
        await using var carol = await fixture.ClientAsync("carol@localhost/reader");
        await desk.SubscribeToComponentAsync(component, "presence online 5 at my desk");
        await carol.RunAsync("presence online 0");
        await carol.ConsumeAsync();
        Assert.Contains(carol.Events, e => e.Is("consumer") && e.GetProperty("available").GetBoolean());
        await carol.WaitForStateAsync(Has("bob@localhost", "online", "bob@localhost/desk"), "bob online at desk");

        foreach (var show in new[] { "chat", "away", "xa", "dnd", "online" })
        {
            await desk.RunAsync($"presence {show} 5 desk {show}");
            await carol.WaitForStateAsync(Has("bob@localhost", show, "bob@localhost/desk"), $"bob {show}");
        }

        // A second resource with a higher priority wins; with a lower one it does not.
        await using var phone = await fixture.ClientAsync("bob@localhost/phone");
        await phone.RunAsync("presence away 10 on the phone");
        await carol.WaitForStateAsync(Has("bob@localhost", "away", "bob@localhost/phone"), "bob away on the phone (priority 10 wins)");
        await phone.RunAsync("presence dnd 1 phone in pocket");
        await carol.WaitForStateAsync(Has("bob@localhost", "online", "bob@localhost/desk"), "desk wins again (priority 5 > 1)");
        var xmpp = await component.Tracker.WaitForXmppAsync("bob@localhost", x => x?.Resources.Length == 2, "two resources");
        Assert.Equal(["desk", "phone"], xmpp!.Resources.Select(r => r.Resource));

        // Status text travels exactly (tracker), whatever its characters.
        const string text = "<b>&amp; \"quotes\" 'apos' ✓ 🙂 שלום";
        await desk.RunAsync("presence dnd 5 " + text);
        xmpp = await component.Tracker.WaitForXmppAsync("bob@localhost", x => x?.Show == XmppShow.Dnd, "dnd with text");
        Assert.Equal(text, xmpp!.Message);
        await carol.WaitForStateAsync(Has("bob@localhost", "dnd", "bob@localhost/desk"), "bob dnd");

        // Seed consumer map and a fresh fetch agree.
        var fetched = await FetchItemsAsync(carol);
        Assert.Equal("dnd", fetched["bob@localhost"].GetProperty("user").Str("status"));
        Assert.Equal("urn:x-pubpresence:user:0", fetched["bob@localhost"].GetProperty("user").Str("ns"));
    }

    [Fact]
    public async Task AUserGoingOfflineIsRetractedFromTheNode()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var ivan = await fixture.ClientAsync("ivan@localhost/home");
        await using var judy = await fixture.ClientAsync("judy@localhost/reader");
        await ivan.SubscribeToComponentAsync(component, "presence xa 0 gone fishing");
        await judy.RunAsync("presence online 0");
        await judy.ConsumeAsync();
        await judy.WaitForStateAsync(Has("ivan@localhost", "xa"), "ivan xa");

        await ivan.RunAsync("unavailable");

        await judy.WaitForAsync(e => e.Is("retracted") && e.Str("id") == "ivan@localhost", "retract of ivan");
        await judy.WaitForStateAsync(u => !u.ContainsKey("ivan@localhost"), "ivan gone from the map");
        await component.Tracker.WaitForXmppAsync("ivan@localhost", x => x is null || x.State == PresenceState.Unavailable, "unavailable");
        Assert.DoesNotContain("ivan@localhost", (await FetchItemsAsync(judy)).Keys);
    }

    [Fact]
    public async Task RepublishingAUserLeavesExactlyOneItemInTheNode()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var kate = await fixture.ClientAsync("kate@localhost/desk");
        await using var leo = await fixture.ClientAsync("leo@localhost/reader");
        await kate.SubscribeToComponentAsync(component);
        await leo.RunAsync("presence online 0");
        await leo.ConsumeAsync();

        foreach (var show in new[] { "away", "dnd", "xa", "chat", "away", "dnd", "xa", "chat" })
        {
            await kate.RunAsync($"presence {show} 1");
            await leo.WaitForStateAsync(Has("kate@localhost", show), $"kate {show}");
        }

        var items = await leo.TryRunAsync($"pubsub-items {PubSubService} {Node}");
        var all = leo.Events.Last(e => e.Is("items")).GetProperty("items").EnumerateArray().Select(i => i.Str("id")).ToList();
        Assert.True(items.Is("done"), items.ToString());
        Assert.Single(all, id => id == "kate@localhost");
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task ARestartOfTheComponentPurgesTheNodeRepopulatesItAndThenAnnouncesAvailable()
    {
        var store = new InMemorySubscriberStore();
        await using var gina = await fixture.ClientAsync("gina@localhost/desk");
        await using var harry = await fixture.ClientAsync("harry@localhost/reader");
        await using (var first = await NewComponent(store: store).StartReadyAsync())
        {
            await gina.SubscribeToComponentAsync(first, "presence away 2 coffee");
            await harry.SubscribeToComponentAsync(first);
            await harry.ConsumeAsync();
            await harry.WaitForStateAsync(Has("gina@localhost", "away"), "gina away before the restart");
            await first.StopAsync();
        }
        var mark = harry.SkipToEnd();

        await using var second = await NewComponent(store: store).StartReadyAsync();

        // Order at the client: purge, then the items, then the service's available presence.
        await harry.WaitForAsync(e => e.Is("purged"), "purge notification");
        await harry.WaitForAsync(e => e.IsPresence(Service), "the service available again", TimeSpan.FromSeconds(15));
        await harry.WaitForStateAsync(Has("gina@localhost", "away"), "gina republished");
        var after = harry.Events.Skip(mark).ToList();
        var purge = after.FindIndex(e => e.Is("purged"));
        var republished = after.FindIndex(purge, e => e.Is("published") && e.Str("id") == "gina@localhost");
        var available = after.FindIndex(purge, e => e.IsPresence(Service));
        Assert.True(republished > purge, "gina was not republished after the purge");
        Assert.True(republished < available, "the service was announced available before the node was repopulated: " + string.Join("\n", after));
        Assert.Equal(XmppShow.Away, second.Tracker.Xmpp("gina@localhost")?.Show);
    }

    [Fact]
    public async Task TheIpAttributeIsFilledFromTheServersAdminCommand()
    {
        await using var component = await NewComponent().StartReadyAsync();
        await using var nick = await fixture.ClientAsync("nick@localhost/laptop");
        await using var olga = await fixture.ClientAsync("olga@localhost/reader");
        await nick.SubscribeToComponentAsync(component, "presence chat 0");

        var xmpp = await component.Tracker.WaitForXmppAsync("nick@localhost", x => x?.Resources.FirstOrDefault()?.Ip is not null, "an IP");
        Assert.Equal("127.0.0.1", xmpp!.Resources[0].Ip);

        await olga.RunAsync("presence online 0");
        await olga.ConsumeAsync();
        var users = await olga.WaitForStateAsync(u => u.TryGetValue("nick@localhost", out var n) && n.Str("ip") == "127.0.0.1", "nick's item with ip");
        Assert.Equal("nick@localhost/laptop", users["nick@localhost"].Str("fulljid"));
    }

    private static async Task<Dictionary<string, System.Text.Json.JsonElement>> FetchItemsAsync(XmppClientProcess client)
    {
        await client.RunAsync($"pubsub-items {PubSubService} {Node}");
        return client.Events.Last(e => e.Is("items")).GetProperty("items").EnumerateArray().ToDictionary(i => i.Str("id")!, i => i);
    }
}
