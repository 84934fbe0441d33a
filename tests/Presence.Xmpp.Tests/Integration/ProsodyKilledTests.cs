using System.Diagnostics;
using Presence.Domain.Model;
using Presence.Xmpp.Component;
using Xunit.Abstractions;
using static Presence.Xmpp.Tests.Integration.ComponentScenarios;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>The XMPP server dies and comes back (docs/ARCHITECTURE.md §5 "link loss → server-unavailable"); its own Prosody, since it is killed.</summary>
public sealed class ProsodyKilledTests(ProsodyFixture fixture, ITestOutputHelper output) : IClassFixture<ProsodyFixture>
{
    [Fact]
    public async Task KillingProsodyAnnotatesEveryXmppStatusWithinFiveSecondsAndItsReturnClearsThemAndRepopulatesTheNode()
    {
        await using var component = new LiveComponent(fixture.Server);
        component.Logs.Echo = output.WriteLine;
        await component.StartReadyAsync();
        await using var alice = await fixture.ClientAsync("alice@localhost/laptop");
        await using var bob = await fixture.ClientAsync("bob@localhost/desk");
        await using var carol = await fixture.ClientAsync("carol@localhost/reader");
        await alice.SubscribeToComponentAsync(component, "presence away 1 lunch");
        await bob.SubscribeToComponentAsync(component, "presence dnd 1 call");
        await carol.SubscribeToComponentAsync(component);
        await carol.ConsumeAsync();
        await carol.WaitForStateAsync(u => Has("alice@localhost", "away")(u) && Has("bob@localhost", "dnd")(u), "alice and bob in the node");
        string[] users = ["alice@localhost", "bob@localhost", "carol@localhost"];

        var killed = Stopwatch.StartNew();
        await fixture.Server.KillAsync();

        await component.Tracker.WaitUntilAsync(t => users.All(u => t.Xmpp(u)?.Annotation?.Kind == AnnotationKind.ServerUnavailable),
            "every XMPP status annotated server-unavailable", TimeSpan.FromSeconds(5));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(XmppShow.Away, component.Tracker.Xmpp("alice@localhost")!.Show); // last known status kept, with the doubt
        using (var linkDown = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await component.Component.Monitor.WaitUntilAsync(s => s.State != XmppLinkState.Online, linkDown.Token);

        await fixture.Server.StartAgainAsync();
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.RunAsync("reconnect");
            await client.WaitForAsync(e => e.Is("reconnected") || e.Is("resumed"), "session again", TimeSpan.FromSeconds(15));
        }
        await alice.RunAsync("presence away 1 lunch");
        await bob.RunAsync("presence chat 1 back");
        await carol.RunAsync("presence online 0");

        await component.Tracker.WaitUntilAsync(t => users.All(u => t.Xmpp(u) is { State: not PresenceState.Unavailable, Annotation: null }),
            "annotations cleared by fresh presence", TimeSpan.FromSeconds(15));
        Assert.Equal(XmppShow.Chat, component.Tracker.Xmpp("bob@localhost")!.Show);
        await component.WaitReadyAsync();
        await carol.ConsumeAsync();
        await carol.WaitForStateAsync(u => Has("alice@localhost", "away")(u) && Has("bob@localhost", "chat")(u) && !u["alice@localhost"].TryGetProperty("annotation", out _),
            "node repopulated without annotations", TimeSpan.FromSeconds(15));
    }
}
