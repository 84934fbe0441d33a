using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task RestartKeepsCurrentStateAndHistory()
    {
        using var db = TempDatabase.Sqlite();
        using (var first = new PresenceApp(db))
        {
            Assert.Equal(200, (int)(await first.CompatAsync(HttpMethod.Put, Envelope(Token("nina@example.com"), Entry("nina@example.com", "spreed", "available", "hello")))).StatusCode);
            Assert.Equal(200, (int)(await first.CompatAsync(HttpMethod.Put, Envelope(Token("nina@example.com"), Entry("nina@example.com", "spreed", "busy", "call")))).StatusCode);
            // XMPP resources are current state too: they must come back with ip/hostname.
            var nina = UserId.Parse("nina@example.com");
            first.Tracker.Apply(new Presence.Domain.Tracking.ResourceAvailableUpdate(nina, "laptop", XmppShow.Xa, 5, "gone"));
            first.Tracker.Apply(new Presence.Domain.Tracking.ResourceDetailsUpdate(nina, "laptop", "192.0.2.7", "laptop.example.com"));
            await first.Services.GetRequiredService<Presence.Web.History.HistoryWriter>().WaitForCommitAsync(first.Tracker.Sequence, default);
        }

        using var second = new PresenceApp(db);
        _ = second.Server;
        var restored = second.Get("nina@example.com")!;
        Assert.Equal(PresenceState.Busy, restored.Overall);
        Assert.Equal("call", restored.Get("spreed")!.Message);
        var xmpp = restored.Get("xmpp")!;
        Assert.Equal(XmppShow.Xa, xmpp.Show);
        var laptop = Assert.Single(xmpp.Resources);
        Assert.Equal(("laptop", 5, "192.0.2.7", "laptop.example.com"), (laptop.Resource, laptop.Priority, laptop.Ip, laptop.Hostname));

        var history = await JsonAsync(await second.Bearer(Token("nina@example.com")).GetAsync("/api/v1/presence/nina@example.com/history"));
        var spreed = history.AsArray().Where(e => e!["protocol"]!.GetValue<string>() == "spreed").Select(e => e!["message"]!.GetValue<string>()).ToList();
        Assert.Equal(["call", "hello"], spreed);
        Assert.Contains(history.AsArray(), e => e!["protocol"]!.GetValue<string>() == "xmpp" && e["show"]!.GetValue<string>() == "xa");
    }

    [Fact]
    public async Task ChangesStillQueuedAtShutdownAreCommittedBeforeTheServiceStops()
    {
        using var db = TempDatabase.Sqlite();
        using (var first = new PresenceApp(db))
        {
            _ = first.Server;
            var updates = Enumerable.Range(0, 300)
                .Select(i => (Presence.Domain.Tracking.PresenceUpdate)new Presence.Domain.Tracking.ProtocolStatusUpdate(UserId.Parse($"s{i}@example.com"), "spreed", PresenceState.Away, "queued"))
                .ToList();
            first.Tracker.ApplyAll(updates);
        } // stopped at once, without waiting for the writer

        using var second = new PresenceApp(db);
        _ = second.Server;
        Assert.Equal(300, second.Tracker.Count);
        Assert.Equal("queued", second.Get("s299@example.com")!.Get("spreed")!.Message);
    }
}
