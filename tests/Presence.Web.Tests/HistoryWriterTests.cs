using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Data;
using Presence.Web.Data.Entities;
using Presence.Web.History;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

public sealed class HistoryWriterTests
{
    [Fact]
    public async Task AWriterThatFellBehindWritesTheFullCurrentStateAndCountsTheLostChanges()
    {
        using var db = TempDatabase.Sqlite();
        using (var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:History:QueueCapacity"] = "16" }))
        {
            _ = app.Server;
            // One ApplyAll holds the tracker's lock for all 500 changes: the writer's queue of 16 must overflow.
            var updates = Enumerable.Range(0, 500)
                .Select(i => (PresenceUpdate)new ProtocolStatusUpdate(UserId.Parse($"u{i}@example.com"), "spreed", PresenceState.Busy, $"m{i}"))
                .ToList();
            var changes = app.Tracker.ApplyAll(updates);
            var writer = app.Services.GetRequiredService<HistoryWriter>();
            await writer.WaitForCommitAsync(changes[^1].Sequence, default).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(writer.Status.LostChanges > 0);
            var health = await PresenceApp.JsonAsync(await HealthWithXmppLinkTests.GetHealthAsync(app.CreateClient(), PresenceApp.Token("alice@example.com")));
            Assert.True(health["history"]!["lostChanges"]!.GetValue<long>() > 0);
        }

        using var restarted = new PresenceApp(db);
        _ = restarted.Server;
        Assert.Equal(500, restarted.Tracker.Count);
        Assert.Equal("m499", restarted.Get("u499@example.com")!.Get("spreed")!.Message);
    }

    [Fact]
    public async Task APreferredPresenceClearedWhileTheWriterFellBehindDoesNotComeBackAfterARestart()
    {
        using var db = TempDatabase.Sqlite();
        var dana = UserId.Parse("dana@example.com");
        using (var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:History:QueueCapacity"] = "16" }))
        {
            _ = app.Server;
            var writer = app.Services.GetRequiredService<HistoryWriter>();
            var set = app.Tracker.Apply(new PersonalStatusUpdate(dana, Protocols.Preferred, PresenceState.Busy, "", DateTimeOffset.UtcNow.AddDays(1)))!;
            await writer.WaitForCommitAsync(set.Sequence, default).WaitAsync(TimeSpan.FromSeconds(30));
            // The clear comes after 500 changes applied under one lock: the writer's queue of 16 overflows and it resyncs.
            var updates = Enumerable.Range(0, 500).Select(i => (PresenceUpdate)new ProtocolStatusUpdate(UserId.Parse($"v{i}@example.com"), "spreed", PresenceState.Away, "")).ToList();
            updates.Add(new ClearStatusUpdate(dana, Protocols.Preferred)); // dropped from the full queue: only the resync snapshot knows
            var changes = app.Tracker.ApplyAll(updates);
            await writer.WaitForCommitAsync(changes[^1].Sequence, default).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(writer.Status.LostChanges > 0);
        }

        using var restarted = new PresenceApp(db);
        _ = restarted.Server;
        Assert.Null(restarted.Get("dana@example.com")!.Preferred);
    }

    [Fact]
    public async Task RetentionPrunesHistoryOlderThanTheConfiguredTime()
    {
        using var db = TempDatabase.Sqlite();
        using var app = new PresenceApp(db, new Dictionary<string, string?> { ["Presence:History:Retention"] = "1.00:00:00" });
        _ = app.Server;
        var contexts = app.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>();
        await using (var ctx = await contexts.CreateDbContextAsync())
        {
            ctx.History.Add(new HistoryRow { UserId = "old@example.com", At = DateTime.UtcNow.AddDays(-2), Protocol = "spreed", State = "busy", Cause = "api" });
            ctx.History.Add(new HistoryRow { UserId = "old@example.com", At = DateTime.UtcNow.AddHours(-1), Protocol = "spreed", State = "away", Cause = "api" });
            await ctx.SaveChangesAsync();
        }
        var deleted = await app.Services.GetRequiredService<HistoryRetention>().PruneAsync(default);
        Assert.Equal(1, deleted);
        await using var check = await contexts.CreateDbContextAsync();
        Assert.Equal("away", (await check.History.SingleAsync(h => h.UserId == "old@example.com")).State);
    }
}
