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
        // The restored status may expire before this line runs on a busy machine: start from a snapshot, then the feed.
        var (feed, snapshot) = second.Tracker.Subscribe("restart-expiry-test", 1000);
        using (feed)
        {
            static bool Expired(Presence.Domain.Model.UserPresence? u) => u?.Get("spreed")?.State == PresenceState.Unavailable;
            var last = snapshot.Sequence;
            if (!Expired(snapshot.Users.FirstOrDefault(u => u.User.Value == "quinn@example.com")))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                while (true)
                {
                    Assert.True(await feed.WaitToReadAsync(timeout.Token));
                    if (!feed.TryRead(out var change)) continue;
                    last = change.Sequence;
                    if (change.User.Value == "quinn@example.com" && Expired(change.After)) break;
                }
            }
            var writer = second.Services.GetRequiredService<Presence.Web.History.HistoryWriter>();
            await writer.WaitForCommitAsync(last, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        }
        // Newest first: expiry to unavailable, expiry's paused annotation on the restored available status, the original PUT.
        var history = await JsonAsync(await second.Bearer(Token("quinn@example.com")).GetAsync("/api/v1/presence/quinn@example.com/history"));
        var spreed = history.AsArray().Where(e => e!["protocol"]!.GetValue<string>() == "spreed").ToList();
        Assert.Equal(["unavailable", "available", "available"], spreed.Select(e => e!["status"]!.GetValue<string>()));
        Assert.Equal(["expiry", "expiry", "api"], spreed.Select(e => e!["cause"]!.GetValue<string>()));
        Assert.Equal("connection-paused", spreed[1]!["annotation"]!["kind"]!.GetValue<string>());
    }
}
