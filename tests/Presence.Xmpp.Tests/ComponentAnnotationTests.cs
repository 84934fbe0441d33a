using System.Xml.Linq;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.AdHoc;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests;

public sealed class ComponentAnnotationTests
{
    private static readonly UserId Alice = UserId.Parse("alice@localhost");

    private static Task<ProtocolStatus> XmppOf(ComponentHarness h, UserId user, Func<ProtocolStatus, bool> condition) =>
        ComponentSubscriptionTests.WaitForAsync(h, () => h.Tracker.Get(user)?.Get(Protocols.Xmpp) is { } s && condition(s) ? s : null);

    [Fact]
    public async Task AResourceThatDoesNotAnswerPingsIsAnnotatedConnectionPausedAndClearedWhenItAnswers()
    {
        var silent = true;
        await using var h = new ComponentHarness(configure: o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(300);
        });
        h.Server.Answer = iq => (string?)iq.ToText == "alice@localhost/laptop" && Volatile.Read(ref silent) ? null : iq.ResultFor().Element;
        h.Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("alice@localhost/laptop", show: "away", status: "lunch");
        var paused = await XmppOf(h, Alice, s => s.Annotation?.Kind == AnnotationKind.ConnectionPaused);
        Assert.Equal("lunch", paused.Message); // the status is kept, only doubted
        Assert.Contains(h.Tracker.Get(Alice)!.Get(Protocols.Xmpp)!.Resources, r => r.Annotation?.Kind == AnnotationKind.ConnectionPaused);
        Volatile.Write(ref silent, false);
        await XmppOf(h, Alice, s => s.Annotation is null);
    }

    [Fact]
    public async Task ARemoteServerErrorAnnotatesThatDomainsUsersUntilPresenceFromItArrives()
    {
        await using var h = new ComponentHarness(subscribers: ["carol@remote.example", "dave@remote.example"]).Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("carol@remote.example/home");
        await h.SendPresenceAsync("dave@remote.example/work");
        await h.SendPresenceAsync("alice@localhost/laptop");
        await XmppOf(h, UserId.Parse("dave@remote.example"), s => s.State == PresenceState.Available);
        await h.Server.SendAsync("<presence type='error' from='carol@remote.example' to='pubpresence.localhost'><error type='cancel'>" +
                                 "<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");
        await XmppOf(h, UserId.Parse("dave@remote.example"), s => s.Annotation?.Kind == AnnotationKind.ServerUnavailable);
        await XmppOf(h, UserId.Parse("carol@remote.example"), s => s.Annotation?.Kind == AnnotationKind.ServerUnavailable);
        Assert.Null(h.Tracker.Get(Alice)!.Get(Protocols.Xmpp)!.Annotation); // other domains are not affected

        await h.SendPresenceAsync("carol@remote.example/home");
        await XmppOf(h, UserId.Parse("carol@remote.example"), s => s.Annotation is null);
        // the domain is reachable again: its other users are probed so their presence is refreshed too
        await h.Server.ExpectAsync(e => (string?)e.Attribute("type") == "probe" && (string?)e.Attribute("to") == "dave@remote.example");
    }

    [Fact]
    public async Task RestoredXmppStatusesAreAnnotatedServerUnavailableUntilTheLinkIsUp()
    {
        var tracker = new PresenceTracker(TimeProvider.System);
        tracker.Restore([new UserPresence(Alice, [new ProtocolStatus(Protocols.Xmpp, PresenceState.Available, "", DateTimeOffset.UtcNow, null, XmppShow.Online,
            [new ResourcePresence("laptop", XmppShow.Online, 0, "", DateTimeOffset.UtcNow)])], DateTimeOffset.UtcNow)]);
        await using var h = new ComponentHarness(tracker: tracker, subscribers: ["alice@localhost"]);
        var (feed, _) = tracker.Subscribe("test");
        h.Start();
        Assert.True(await feed.WaitToReadAsync(ComponentHarness.Timeout()));
        Assert.True(feed.TryRead(out var first));
        Assert.Equal(ChangeCause.LinkLoss, first.Cause);
        Assert.Equal(AnnotationKind.ServerUnavailable, first.After.Get(Protocols.Xmpp)!.Annotation!.Kind);
        await h.Server.ExpectAsync(e => (string?)e.Attribute("type") == "probe");
        await h.SendPresenceAsync("alice@localhost/laptop");
        await XmppOf(h, Alice, s => s.Annotation is null);
    }

    [Fact]
    public async Task UnsubscribeIsHonouredAndTheUserStopsBeingTracked()
    {
        await using var h = new ComponentHarness(subscribers: ["alice@localhost"]).Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("alice@localhost/laptop");
        await XmppOf(h, Alice, s => s.State == PresenceState.Available);
        await h.SendPresenceAsync("alice@localhost", type: "unsubscribe");
        await h.Server.ExpectAsync(e => (string?)e.Attribute("type") == "unsubscribed" && (string?)e.Attribute("to") == "alice@localhost");
        await XmppOf(h, Alice, s => s.State == PresenceState.Unavailable);
        await h.Component.Subscribers.FlushAsync();
        Assert.Empty(h.Store.Items);
    }

    [Fact]
    public async Task DirectedPresenceToTheComponentsFullJidIsTracked()
    {
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("erin@localhost/tablet", show: "xa", to: "pubpresence.localhost/anything");
        var s = await XmppOf(h, UserId.Parse("erin@localhost"), s => s.State == PresenceState.Away);
        Assert.Equal(XmppShow.Xa, s.Show);
        await h.SendPresenceAsync("erin@localhost/tablet", type: "unavailable", to: "pubpresence.localhost/anything");
        await XmppOf(h, UserId.Parse("erin@localhost"), s => s.State == PresenceState.Unavailable);
    }

    [Fact]
    public async Task EachNewSessionsIpComesFromTheAdminCommandAndItsHostnameFromReverseDns()
    {
        await using var h = new ComponentHarness(configure: o => o.SessionDetails = true);
        var commands = 0;
        h.Server.Answer = iq =>
        {
            if (iq.Payload?.Name != Namespaces.Commands + "command") return iq.ResultFor().Element;
            Interlocked.Increment(ref commands);
            if (iq.Payload.Element(Namespaces.DataForms + "x") is null)
                return iq.ResultFor(new XElement(Namespaces.Commands + "command", new XAttribute("node", OnlineSessions.Node), new XAttribute("sessionid", "s1"),
                    new XAttribute("status", "executing"))).Element;
            var lines = new[] { "alice@localhost", " - laptop: dnd(5), IP: [127.0.0.1]", " - odd: name: available(0), IP: [10.0.0.9]", "bob@localhost", " - x: away(1), IP: [<unknown>]" };
            return iq.ResultFor(new XElement(Namespaces.Commands + "command", new XAttribute("node", OnlineSessions.Node), new XAttribute("status", "completed"),
                new XElement(Namespaces.DataForms + "x", new XAttribute("type", "result"),
                    new XElement(Namespaces.DataForms + "field", new XAttribute("var", "onlineuserjids"),
                        lines.Select(l => new XElement(Namespaces.DataForms + "value", l)))))).Element;
        };
        h.Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("alice@localhost/laptop", show: "dnd", priority: 5);
        var s = await XmppOf(h, Alice, s => s.WinningResource?.Hostname is not null);
        Assert.Equal("127.0.0.1", s.WinningResource!.Ip);
        Assert.Equal("localhost", s.WinningResource.Hostname);
        Assert.Equal(2, commands); // execute + submit, once for the new session
    }

    [Fact]
    public void OnlineSessionLinesAreParsedFromTheEnd()
    {
        var command = new XElement(Namespaces.Commands + "command",
            new XElement(Namespaces.DataForms + "x", new XElement(Namespaces.DataForms + "field", new XAttribute("var", "onlineuserjids"),
                new XElement(Namespaces.DataForms + "value", "alice@localhost\n - res: with colon: dnd(5), IP: [::1]\n - phone: available(-), IP: [<unknown>]"))));
        var sessions = OnlineSessions.Parse(command);
        Assert.Equal([new OnlineSession("alice@localhost", "res: with colon", "::1"), new OnlineSession("alice@localhost", "phone", null)], sessions);
    }
}
