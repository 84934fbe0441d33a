using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Web.Tests.Infrastructure;
using static Presence.Web.Tests.Infrastructure.PresenceApp;

namespace Presence.Web.Tests;

public sealed class SpreedExpiryTests
{
    [Fact]
    public async Task SpreedStatusIsAnnotatedPausedThenExpiresToUnavailableAndHistoryRecordsIt()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:Spreed:PausedAfter"] = "00:00:01",
            ["Presence:Spreed:AutoUnavailable"] = "00:00:02",
            ["Presence:Xmpp:Domain"] = "example.org",
        });
        using var feed = new FeedWatcher(app.Tracker);
        var put = await app.CompatAsync(HttpMethod.Put, Envelope(Token("olaf@example.com"), Entry("olaf@example.com", "spreed", "available", "in call")));
        Assert.Equal(200, (int)put.StatusCode);

        var paused = await feed.WaitForAsync(c => c.User.Value == "olaf@example.com" && c.After.Get("spreed")?.Annotation is not null, TimeSpan.FromSeconds(10));
        var annotation = paused.After.Get("spreed")!.Annotation!;
        Assert.Equal(AnnotationKind.ConnectionPaused, annotation.Kind);
        Assert.Equal("pubpresence.example.org", annotation.From);
        Assert.Equal(PresenceState.Available, paused.After.Get("spreed")!.State);

        var expired = await feed.WaitForAsync(c => c.User.Value == "olaf@example.com" && c.After.Get("spreed")?.State == PresenceState.Unavailable, TimeSpan.FromSeconds(10));
        Assert.Equal("", expired.After.Get("spreed")!.Message);
        Assert.Null(expired.After.Get("spreed")!.Annotation);

        await app.Services.GetRequiredService<Presence.Web.History.HistoryWriter>().WaitForCommitAsync(expired.Sequence, default);
        var history = await JsonAsync(await app.Bearer(Token("olaf@example.com")).GetAsync("/api/v1/presence/olaf@example.com/history"));
        var causes = history.AsArray().Where(e => e!["protocol"]!.GetValue<string>() == "spreed").Select(e => e!["cause"]!.GetValue<string>()).ToList();
        Assert.Equal(["expiry", "expiry", "api"], causes);
        Assert.Equal("connection-paused", history.AsArray().First(e => e!["protocol"]!.GetValue<string>() == "spreed" && e["annotation"] is not null)!["annotation"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARefreshClearsThePausedAnnotation()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?>
        {
            ["Presence:Spreed:PausedAfter"] = "00:00:01",
            ["Presence:Spreed:AutoUnavailable"] = "00:01:00",
        });
        using var feed = new FeedWatcher(app.Tracker);
        var body = Envelope(Token("pia@example.com"), Entry("pia@example.com", "spreed", "busy", "meeting"));
        await app.CompatAsync(HttpMethod.Put, body);
        await feed.WaitForAsync(c => c.User.Value == "pia@example.com" && c.After.Get("spreed")?.Annotation is not null, TimeSpan.FromSeconds(10));

        await app.CompatAsync(HttpMethod.Put, body);
        var spreed = app.Get("pia@example.com")!.Get("spreed")!;
        Assert.Null(spreed.Annotation);
        Assert.Equal(PresenceState.Busy, spreed.State);
    }

    [Fact]
    public async Task RestoredSpreedStatusStillExpiresAfterARestart()
    {
        using var db = TempDatabase.Sqlite();
        var settings = new Dictionary<string, string?> { ["Presence:Spreed:PausedAfter"] = "00:00:01", ["Presence:Spreed:AutoUnavailable"] = "00:00:02" };
        using (var first = new PresenceApp(db, new Dictionary<string, string?>(settings) { ["Presence:Spreed:AutoUnavailable"] = "01:00:00", ["Presence:Spreed:PausedAfter"] = "00:30:00" }))
        {
            await first.CompatAsync(HttpMethod.Put, Envelope(Token("quinn@example.com"), Entry("quinn@example.com", "spreed", "available")));
        }
        using var second = new PresenceApp(db, settings);
        _ = second.Server;
        using var feed = new FeedWatcher(second.Tracker);
        Assert.Equal(PresenceState.Available, second.Get("quinn@example.com")!.Overall);
        var expired = await feed.WaitForAsync(c => c.User.Value == "quinn@example.com" && c.After.Get("spreed")?.State == PresenceState.Unavailable, TimeSpan.FromSeconds(10));
        Assert.Equal(Presence.Domain.Tracking.ChangeCause.Expiry, expired.Cause);
    }
}
