using Presence.Domain.Model;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests;

public sealed class ComponentSubscriptionTests
{
    private static bool IsPresence(System.Xml.Linq.XElement e, string type, string to) =>
        e.Name.LocalName == "presence" && (string?)e.Attribute("type") == type && (string?)e.Attribute("to") == to;

    [Fact]
    public async Task ASubscribeIsApprovedAskedBackAnsweredWithOwnPresenceAndProbedAndPersisted()
    {
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("Alice@Localhost", type: "subscribe");
        await h.Server.ExpectAsync(e => IsPresence(e, "subscribed", "alice@localhost"));
        await h.Server.ExpectAsync(e => IsPresence(e, "subscribe", "alice@localhost"));
        var own = await h.Server.ExpectAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "alice@localhost");
        Assert.Null((string?)own.Attribute("type")); // available: the node is up to date
        await h.SendPresenceAsync("alice@localhost", type: "subscribed"); // the user approves our subscribe
        await h.Server.ExpectAsync(e => IsPresence(e, "probe", "alice@localhost"));
        await h.Component.Subscribers.FlushAsync();
        Assert.True(h.Store.Items.ContainsKey("alice@localhost"));
    }

    [Fact]
    public async Task EverySubscriberIsProbedOnConnect()
    {
        await using var h = new ComponentHarness(subscribers: ["alice@localhost", "bob@localhost"]).Start();
        await h.Server.ExpectAsync(e => IsPresence(e, "probe", "alice@localhost"));
        await h.Server.ExpectAsync(e => IsPresence(e, "probe", "bob@localhost"));
    }

    [Fact]
    public async Task PresenceOfSeveralResourcesReachesTheTrackerWithShowStatusAndPriority()
    {
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("alice@localhost/laptop", show: "dnd", status: "In a meeting", priority: 5);
        await h.SendPresenceAsync("alice@localhost/phone", show: "away", status: "gone", priority: 1);
        var user = UserId.Parse("alice@localhost");
        var xmpp = await WaitForAsync(h, () => h.Tracker.Get(user)?.Get(Protocols.Xmpp) is { Resources.Length: 2 } s ? s : null);
        Assert.Equal(PresenceState.Busy, xmpp.State);
        Assert.Equal(XmppShow.Dnd, xmpp.Show);
        Assert.Equal("In a meeting", xmpp.Message);
        Assert.Equal(5, xmpp.Resources[0].Priority);
        Assert.Equal("phone", xmpp.Resources[1].Resource);
    }

    [Fact]
    public async Task PresenceFromAStrangerOfAnotherDomainIsNotTrackedButFromSubscribersAndLocalUsersItIs()
    {
        await using var h = new ComponentHarness(subscribers: ["carol@remote.example"]).Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("mallory@remote.example/evil", show: "chat");
        await h.SendPresenceAsync("mallory@remote.example/evil", type: "unavailable");
        await h.SendPresenceAsync("bob@localhost/desk"); // a user of the server's domain, not a subscriber (directed presence)
        await h.SendPresenceAsync("carol@remote.example/home");
        // stanzas are handled in order: once carol is tracked, mallory's presence was handled too
        await WaitForAsync(h, () => h.Tracker.Get(UserId.Parse("carol@remote.example"))?.Get(Protocols.Xmpp) is { Resources.Length: 1 } s ? s : null);
        Assert.Equal(PresenceState.Available, h.Tracker.Get(UserId.Parse("bob@localhost"))!.Get(Protocols.Xmpp)!.State);
        Assert.Null(h.Tracker.Get(UserId.Parse("mallory@remote.example")));
    }

    internal static async Task<T> WaitForAsync<T>(ComponentHarness h, Func<T?> probe) where T : class
    {
        var (feed, _) = h.Tracker.Subscribe("test", 10_000);
        using var subscription = feed;
        var token = ComponentHarness.Timeout();
        while (true)
        {
            if (probe() is { } value) return value;
            await feed.WaitToReadAsync(token);
            while (feed.TryRead(out _)) { }
            if (feed.ResyncRequired) feed.Resync();
        }
    }
}
