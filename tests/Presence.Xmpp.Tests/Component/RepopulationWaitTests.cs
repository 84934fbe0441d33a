using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Tests.Support;

namespace Presence.Xmpp.Tests.Component;

/// <summary>When the repopulation after a connect ends (scripted server, the tracker's clock a <see cref="FakeTimeProvider"/>).</summary>
public sealed class RepopulationWaitTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private static ComponentHarness Harness(FakeTimeProvider time, params string[] subscribers) =>
        new(tracker: new PresenceTracker(time), configure: o => { o.RepopulationQuietPeriod = Quiet; o.RepopulationMaxWait = TimeSpan.FromSeconds(30); }, subscribers: subscribers);

    private static bool Ready(ComponentHarness h) =>
        h.Component.Monitor.Current is { State: XmppLinkState.Online, Repopulating: false } && h.Component.Service.Available;

    private static Task ProbedAsync(ComponentHarness h, string user) =>
        h.Server.ExpectAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("type") == "probe" && (string?)e.Attribute("to") == user);

    /// <summary>Sends a presence and waits until the tracker has it.</summary>
    private static async Task PresenceAsync(ComponentHarness h, string fullJid, string status)
    {
        await h.SendPresenceAsync(fullJid, status: status);
        var user = UserId.Parse(fullJid[..fullJid.IndexOf('/')]);
        await ComponentSubscriptionTests.WaitForAsync(h, () => h.Tracker.Get(user)?.Get(Protocols.Xmpp) is { Resources: [{ Message: var s }] } p && s == status ? p : null);
    }

    [Fact]
    public async Task ContinuousTrafficFromUsersAlreadyHeardFromDoesNotHoldUpTheEndOfRepopulation()
    {
        var time = new FakeTimeProvider();
        await using var h = Harness(time, "alice@localhost", "bob@localhost", "carol@localhost").Start();
        await ProbedAsync(h, "carol@localhost");
        await PresenceAsync(h, "alice@localhost/laptop", "here");
        await PresenceAsync(h, "bob@localhost/desk", "here"); // carol never answers

        for (var elapsed = TimeSpan.Zero; elapsed < Quiet; elapsed += Step) // alice changes her status every 100 ms
        {
            Assert.False(Ready(h), $"repopulation ended {elapsed.TotalMilliseconds} ms after the last new user, before the quiet period");
            await PresenceAsync(h, "alice@localhost/laptop", $"typing {elapsed.TotalMilliseconds}");
            time.Advance(Step);
        }

        await h.WaitReadyAsync(); // 500 ms after bob's first presence, although alice's last change is 100 ms old
        // The component logs how the wait ended just after it reports ready, on its own thread: wait for the line.
        await h.Log.WaitForLineAsync(l => l.Contains("(no new presence for 0.5 s, 1 probes unanswered)"), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ASlowProbeAnswerStillGetsInAndTheEndFollowsTheLastAnswer()
    {
        var time = new FakeTimeProvider();
        await using var h = Harness(time, "alice@localhost", "bob@localhost").Start();
        await ProbedAsync(h, "bob@localhost");
        await PresenceAsync(h, "alice@localhost/laptop", "here");
        for (var i = 0; i < 4; i++) { time.Advance(Step); await PresenceAsync(h, "alice@localhost/laptop", $"typing {i}"); }
        time.Advance(TimeSpan.FromMilliseconds(50));
        await PresenceAsync(h, "dave@localhost/phone", "new here"); // a user not heard from yet: progress, the wait goes on
        time.Advance(TimeSpan.FromMilliseconds(400)); // 850 ms after the probes, 400 ms after dave
        Assert.False(Ready(h), "repopulation ended before bob answered the probe");

        await PresenceAsync(h, "bob@localhost/desk", "slow"); // the last probe answer: the wait ends without more time passing
        await h.WaitReadyAsync();
        await h.Server.ExpectAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "alice@localhost" && (string?)e.Attribute("type") is null);

        var received = h.Server.AllReceived.ToList();
        var bobPublished = received.FindIndex(e => e.Descendants(Namespaces.PubSub + "item").Any(i => (string?)i.Attribute("id") == "bob@localhost"));
        var available = received.FindIndex(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "alice@localhost" && (string?)e.Attribute("type") is null);
        Assert.InRange(bobPublished, 0, available); // bob was in the node before the component said it was up to date
    }
}
