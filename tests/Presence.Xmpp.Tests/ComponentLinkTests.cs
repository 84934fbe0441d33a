using System.Xml.Linq;
using Presence.Domain.Model;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests;

public sealed class ComponentLinkTests
{
    private static readonly UserId Alice = UserId.Parse("alice@localhost");

    [Fact]
    public async Task AWrongSecretIsReportedWithTheServersTextAndRetriedWithBackoff()
    {
        await using var h = new ComponentHarness(secret: "wrong", serverSecret: "right").Start();
        var snapshot = await h.Component.Monitor.WaitUntilAsync(s => s.Reconnects >= 2 && s.State == XmppLinkState.Backoff, ComponentHarness.Timeout());
        Assert.Contains("not-authorized", snapshot.LastError);
        Assert.Contains("Invalid handshake", snapshot.LastError);
        Assert.True(h.Server.RejectedHandshakes >= 3);
        Assert.NotEqual(XmppLinkState.Online, h.Component.Monitor.Current.State);
    }

    [Fact]
    public void BackoffGrowsExponentiallyWithJitterUpToTheCap()
    {
        var random = new Random(1);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var cap = Math.Min(30, Math.Pow(2, attempt));
            var delays = Enumerable.Range(0, 50).Select(_ => Presence.Xmpp.Resilience.Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), attempt, jitter: true, random).TotalSeconds).ToList();
            Assert.All(delays, d => Assert.InRange(d, cap / 2, cap));
            Assert.True(delays.Distinct().Count() > 1, "delays are jittered");
        }
    }

    [Fact]
    public async Task AStoppedComponentClosesTheStreamAndDoesNotReconnect()
    {
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        await h.StopAsync();
        await h.Server.ClosedCleanly.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(XmppLinkState.Disconnected, h.Component.Monitor.Current.State);
        Assert.Equal(1, h.Server.Connections);
    }

    [Fact]
    public async Task StoppingWaitsForTheServerToCloseItsStreamAndTheConnectionBeforeClosingTheSocket()
    {
        // RFC 6120 §4.4. A server that still holds the old connection treats a component connecting right after as a
        // second connection of the same component (ejabberd then sends no XEP-0356 advertisement to the new one).
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.HoldClose = release;

        var stop = h.StopAsync();
        await Task.WhenAny(stop, Task.Delay(200));
        Assert.False(stop.IsCompleted, "the component closed its socket before the server closed its stream");
        release.SetResult();
        await stop;

        Assert.True(h.Server.ClosedCleanly.Task.IsCompleted, "the stop ended before the server closed its stream");
    }

    [Fact]
    public async Task LinkLossAnnotatesEveryXmppStatusAtOnceAndFreshPresenceAfterReconnectClearsIt()
    {
        await using var h = new ComponentHarness(subscribers: ["alice@localhost", "bob@localhost"]).Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("alice@localhost/laptop", show: "chat");
        await h.SendPresenceAsync("bob@localhost/desk");
        await ComponentSubscriptionTests.WaitForAsync(h, () => h.Tracker.Get(UserId.Parse("bob@localhost"))?.Get(Protocols.Xmpp) is { Resources.Length: 1 } s ? s : null);

        h.Server.Drop();
        var annotated = await ComponentSubscriptionTests.WaitForAsync(h, () =>
            h.Tracker.Get(Alice)?.Get(Protocols.Xmpp) is { Annotation.Kind: AnnotationKind.ServerUnavailable } s ? s : null);
        Assert.Equal("pubpresence.localhost", annotated.Annotation!.From);
        Assert.Equal(PresenceState.Available, annotated.State); // the cached status is kept, only doubted

        // reconnect: probes go out again; alice answers, bob does not
        await h.Component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && s.Repopulating, ComponentHarness.Timeout());
        await h.Server.ExpectAsync(e => (string?)e.Attribute("type") == "probe" && (string?)e.Attribute("to") == "alice@localhost");
        await h.SendPresenceAsync("alice@localhost/laptop", show: "chat");
        await h.WaitReadyAsync();
        Assert.Null(h.Tracker.Get(Alice)!.Get(Protocols.Xmpp)!.Annotation);
        Assert.Equal(PresenceState.Unavailable, h.Tracker.Get(UserId.Parse("bob@localhost"))!.Get(Protocols.Xmpp)!.State); // dropped: no answer to the probe
        Assert.Equal(2, h.Server.Connections);
    }

    [Fact]
    public async Task ADeadLinkIsNoticedByTheKeepaliveWithinItsIntervalAndTimeout()
    {
        await using var h = new ComponentHarness(configure: o =>
        {
            o.KeepaliveInterval = TimeSpan.FromMilliseconds(200);
            o.KeepaliveTimeout = TimeSpan.FromMilliseconds(300);
        }).Start();
        await h.WaitReadyAsync();
        h.Server.Answer = iq => iq.Payload?.Name == Namespaces.Ping + "ping" ? null : iq.ResultFor().Element; // the server goes silent
        XmppLinkSnapshot snapshot;
        try
        {
            snapshot = await h.Component.Monitor.WaitUntilAsync(s => s.LastError?.Contains("keepalive") == true, ComponentHarness.Timeout(5));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("no keepalive failure; " + h.Component.Monitor.Current + "\n" + h.Log);
            throw;
        }
        Assert.Contains("did not answer a keepalive ping", snapshot.LastError);
        h.Server.Answer = iq => iq.ResultFor().Element; // the server is back: the component reconnects
        await h.Component.Monitor.WaitUntilAsync(s => s.Reconnects >= 1 && s.State == XmppLinkState.Online, ComponentHarness.Timeout());
    }

    [Fact]
    public async Task ABusyServerThatSendsStanzasButAnswersNoPingIsNotTakenForDead()
    {
        await using var h = new ComponentHarness(configure: o =>
        {
            o.KeepaliveInterval = TimeSpan.FromMilliseconds(100);
            o.KeepaliveTimeout = TimeSpan.FromSeconds(1);
        }).Start();
        await h.WaitReadyAsync();
        var pings = 0;
        h.Server.Answer = iq =>
        {
            if (iq.Payload?.Name != Namespaces.Ping + "ping") return iq.ResultFor().Element;
            Interlocked.Increment(ref pings);
            return null; // queued behind the burst, as far as the component can tell
        };

        // A burst of presence (a stanza every 50 ms) while three keepalive pings go unanswered.
        for (var i = 0; Volatile.Read(ref pings) < 4; i++)
        {
            await h.SendPresenceAsync($"user{i % 20}@localhost/r", show: i % 2 == 0 ? "away" : null);
            await Task.Delay(50);
        }
        var during = h.Component.Monitor.Current;
        Assert.True(during is { State: XmppLinkState.Online, Reconnects: 0 }, $"the busy link was dropped: {during}\n{h.Log}");

        // The burst ends and the pings stay unanswered: now the link is dead.
        var dead = await h.Component.Monitor.WaitUntilAsync(s => s.LastError?.Contains("keepalive") == true, ComponentHarness.Timeout(10));
        Assert.Contains("sent nothing else meanwhile", dead.LastError);
    }

    [Fact]
    public async Task TheComponentAnswersPingsAndDiscoInfoWithItsIdentityAndFeatures()
    {
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        await h.Server.SendAsync("<iq type='get' id='ping1' from='alice@localhost/x' to='pubpresence.localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        var pong = await h.Server.ExpectAsync(e => (string?)e.Attribute("id") == "ping1");
        Assert.Equal("result", (string?)pong.Attribute("type"));
        Assert.Equal("alice@localhost/x", (string?)pong.Attribute("to"));

        await h.Server.SendAsync("<iq type='get' id='disco1' from='alice@localhost/x' to='pubpresence.localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var info = (await h.Server.ExpectAsync(e => (string?)e.Attribute("id") == "disco1")).Element(Namespaces.DiscoInfo + "query")!;
        var identity = info.Element(Namespaces.DiscoInfo + "identity")!;
        Assert.Equal(("component", "presence"), ((string?)identity.Attribute("category"), (string?)identity.Attribute("type")));
        var features = info.Elements(Namespaces.DiscoInfo + "feature").Select(f => (string?)f.Attribute("var")).ToList();
        Assert.Contains("urn:xmpp:psa", features);
        Assert.Contains("urn:xmpp:ping", features);
        Assert.Contains("http://jabber.org/protocol/disco#info", features);

        await h.Server.SendAsync("<iq type='set' id='x1' from='alice@localhost/x' to='pubpresence.localhost'><query xmlns='jabber:iq:unknown'/></iq>");
        var refused = await h.Server.ExpectAsync(e => (string?)e.Attribute("id") == "x1");
        Assert.Equal("service-unavailable", new IqStanza(refused).Error!.Condition);
    }

    [Fact]
    public async Task TheLinkNeverReportsOnlineAndUpToDateBeforeTheNodeIsRepopulated()
    {
        var purge = new TaskCompletionSource<IqStanza>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new ComponentHarness();
        h.Server.Answer = iq =>
        {
            if (iq.Payload?.Element(Namespaces.PubSubOwner + "purge") is null) return iq.ResultFor().Element;
            purge.TrySetResult(iq);
            return null;
        };
        var seen = new System.Collections.Concurrent.ConcurrentQueue<XmppLinkSnapshot>();
        h.Component.Monitor.Changed += seen.Enqueue;
        h.Start();
        var held = await purge.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Health and the dashboard read this status: while the purge is unanswered nothing may say "up to date".
        Assert.DoesNotContain(seen, s => s is { State: XmppLinkState.Online, Repopulating: false });
        Assert.True(h.Component.Monitor.Current is { State: XmppLinkState.Online, Repopulating: true });
        await h.Server.SendAsync(held.ResultFor().Element);
        await h.WaitReadyAsync();
    }

    [Fact]
    public async Task ProbesAreAnsweredUnavailableWhileRepopulatingAndAvailableIsBroadcastWhenDone()
    {
        var purge = new TaskCompletionSource<IqStanza>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new ComponentHarness(subscribers: ["alice@localhost"]);
        // hold the answer to the purge: the node cannot be up to date yet
        h.Server.Answer = iq =>
        {
            if (iq.Payload?.Element(Namespaces.PubSubOwner + "purge") is null) return iq.ResultFor().Element;
            purge.TrySetResult(iq);
            return null;
        };
        h.Start();
        await h.Component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && s.Repopulating, ComponentHarness.Timeout());
        await h.Server.SendAsync("<presence type='probe' from='bob@localhost' to='pubpresence.localhost'/>");
        var during = await h.Server.ExpectAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "bob@localhost");
        Assert.Equal("unavailable", (string?)during.Attribute("type"));
        await h.Server.SendAsync((await purge.Task.WaitAsync(TimeSpan.FromSeconds(10))).ResultFor().Element);
        var broadcast = await h.Server.ExpectAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "alice@localhost" && (string?)e.Attribute("type") is null);
        Assert.NotNull(broadcast);
        await h.WaitReadyAsync();
        await h.Server.SendAsync("<presence type='probe' from='bob@localhost' to='pubpresence.localhost'/>");
        var after = await h.Server.ExpectAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "bob@localhost");
        Assert.Null((string?)after.Attribute("type"));
    }

    [Fact]
    public async Task OnEveryConnectTheNodeIsCreatedConfiguredAndPurgedBeforeAnyPublish()
    {
        await using var h = new ComponentHarness().Start();
        await h.WaitReadyAsync();
        await h.SendPresenceAsync("alice@localhost/laptop");
        await h.Server.ExpectAsync(e => e.Descendants(Namespaces.PubSub + "publish").Any());
        var pubsub = h.Server.AllReceived.Where(e => (string?)e.Attribute("to") == "pubsub.localhost").Select(e => e.Elements().First().Elements().First().Name.LocalName).ToList();
        Assert.Equal(["create", "configure", "purge", "publish"], pubsub.Take(4));
        var form = h.Server.AllReceived.First().Descendants(Namespaces.DataForms + "field")
            .ToDictionary(f => (string)f.Attribute("var")!, f => f.Element(Namespaces.DataForms + "value")!.Value);
        Assert.Equal("1", form["pubsub#persist_items"]);
        Assert.Equal("max", form["pubsub#max_items"]);
        Assert.Equal("1", form["pubsub#notify_retract"]);
    }
}
