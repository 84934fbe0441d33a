using System.Diagnostics;
using Presence.Domain.Model;
using Xunit.Abstractions;
using static Presence.Xmpp.Tests.Integration.ComponentScenarios;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>
/// XEP-0198 paused sessions seen through XEP-0199 pings (docs/ARCHITECTURE.md §5 "paused sessions → connection-paused"): a client
/// whose TCP connection is cut without closing the stream is hibernated by Prosody and sends no unavailable.
/// </summary>
public sealed class PausedSessionTests(PausedSessionTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<PausedSessionTests.Fixture>
{
    /// <summary>Hibernation of 6 s, so that "expired → unavailable" finishes quickly.</summary>
    public sealed class Fixture : ProsodyFixture
    {
        protected override ProsodySettings Settings => new(Hibernation: 6);
    }

    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    private async Task<LiveComponent> StartComponentAsync()
    {
        var component = new LiveComponent(fixture.Server, configure: o => { o.PingInterval = PingInterval; o.PingTimeout = PingTimeout; });
        component.Logs.Echo = output.WriteLine;
        return await component.StartReadyAsync();
    }

    private static bool Paused(ProtocolStatus? x, string resource) =>
        x?.Resources.FirstOrDefault(r => r.Resource == resource)?.Annotation?.Kind == AnnotationKind.ConnectionPaused;

    [Fact]
    public async Task AClientCutWithoutClosingTheStreamIsAnnotatedPausedAndClearedWhenItResumes()
    {
        await using var component = await StartComponentAsync();
        await using var alice = await fixture.ClientAsync("alice@localhost/laptop");
        await using var bob = await fixture.ClientAsync("bob@localhost/reader");
        await alice.SubscribeToComponentAsync(component, "presence away 1 travelling");
        await component.Tracker.WaitForXmppAsync("alice@localhost", x => x?.Show == XmppShow.Away, "alice away");
        await bob.RunAsync("presence online 0");
        await bob.ConsumeAsync();

        var cut = Stopwatch.StartNew();
        await alice.RunAsync("kill");

        var paused = await component.Tracker.WaitForXmppAsync("alice@localhost", x => Paused(x, "laptop"), "connection-paused", TimeSpan.FromSeconds(8));
        var detected = cut.Elapsed;
        Assert.True(detected <= PingInterval + PingTimeout + TimeSpan.FromSeconds(2.5), $"connection-paused only after {detected.TotalSeconds:0.0} s");
        Assert.Equal(XmppShow.Away, paused!.Show); // the status stays, with a doubt attached
        var item = await bob.WaitForStateAsync(u => u.TryGetValue("alice@localhost", out var a) && a.TryGetProperty("annotation", out _), "annotated item");
        Assert.Contains("connection-paused", item["alice@localhost"].GetProperty("annotation").GetProperty("reason").EnumerateArray().Select(r => r.GetString()));

        await alice.RunAsync("reconnect");
        await alice.WaitForAsync(e => e.Is("resumed"), "session resumed");

        await component.Tracker.WaitForXmppAsync("alice@localhost", x => x?.Show == XmppShow.Away && !Paused(x, "laptop") && x.Annotation is null,
            "annotation cleared after the resumed session answered a ping", TimeSpan.FromSeconds(8));
        await bob.WaitForStateAsync(u => u.TryGetValue("alice@localhost", out var a) && !a.TryGetProperty("annotation", out _) && a.Str("status") == "away",
            "item without annotation");
    }

    [Fact]
    public async Task AHibernatedClientThatNeverComesBackBecomesUnavailableWhenTheHibernationEnds()
    {
        await using var component = await StartComponentAsync();
        await using var carol = await fixture.ClientAsync("carol@localhost/phone");
        await using var dave = await fixture.ClientAsync("dave@localhost/reader");
        await carol.SubscribeToComponentAsync(component, "presence dnd 0 meeting");
        await component.Tracker.WaitForXmppAsync("carol@localhost", x => x?.Show == XmppShow.Dnd, "carol dnd");
        await dave.RunAsync("presence online 0");
        await dave.ConsumeAsync();
        await dave.WaitForStateAsync(Has("carol@localhost", "dnd"), "carol's item");

        var cut = Stopwatch.StartNew();
        await carol.RunAsync("kill");
        await component.Tracker.WaitForXmppAsync("carol@localhost", x => Paused(x, "phone"), "connection-paused", TimeSpan.FromSeconds(8));

        await component.Tracker.WaitForXmppAsync("carol@localhost", x => x is null || x.State == PresenceState.Unavailable,
            "unavailable after the hibernation", TimeSpan.FromSeconds(15));
        Assert.True(cut.Elapsed >= TimeSpan.FromSeconds(5), $"unavailable already after {cut.Elapsed.TotalSeconds:0.0} s, before the hibernation ended");
        await dave.WaitForAsync(e => e.Is("retracted") && e.Str("id") == "carol@localhost", "carol retracted");
    }
}
