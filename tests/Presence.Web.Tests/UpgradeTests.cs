using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Presence.Domain.Model;
using Presence.Web.Data;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>A database made by the release with the hand-written migration upgrades in place (issue 8 §2).</summary>
public sealed class UpgradeTests
{
    /// <summary>Shortly after the fixture's last write, so its spreed statuses have not expired yet.</summary>
    private static readonly DateTimeOffset FixtureTime = new(2026, 11, 30, 10, 17, 30, TimeSpan.Zero);

    private static TempDatabase FromReleaseDump()
    {
        var database = TempDatabase.Sqlite();
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "release-2026-11.sql"));
        command.ExecuteNonQuery();
        return database;
    }

    [Fact]
    public async Task ADatabaseMadeByTheCurrentReleaseStartsWithItsStateAndHistoryKept()
    {
        using var database = FromReleaseDump();
        var clock = new FakeTimeProvider(FixtureTime);
        await using var app = new PresenceApp(database, services: s => s.AddSingleton<TimeProvider>(clock));
        _ = app.Server;

        var alice = app.Get("alice@example.com")!;
        Assert.Equal(PresenceState.Busy, alice.Overall);
        Assert.Equal("in a meeting", alice.Get(Protocols.Spreed)!.Message);
        Assert.Equal(PresenceState.Away, app.Get("bob@example.com")!.Overall);
        Assert.Equal(PresenceState.Available, app.Get("carol@example.com")!.Overall);

        var token = PresenceApp.Token("alice@example.com", clock.GetUtcNow());
        var history = await app.Bearer(token).GetFromJsonAsync<List<HistoryEntry>>("/api/v1/presence/alice@example.com/history?from=2026-11-01T00:00:00Z");
        Assert.Equal(["in a meeting", "morning"], history!.Where(h => h.Protocol == "spreed").Select(h => h.Message));

        var put = await app.Bearer(token).PutAsJsonAsync("/api/v1/presence/alice@example.com/spreed", new { status = "available", message = "after the upgrade" });
        Assert.Equal(200, (int)put.StatusCode);
        history = await app.Bearer(token).GetFromJsonAsync<List<HistoryEntry>>("/api/v1/presence/alice@example.com/history?from=2026-11-01T00:00:00Z");
        Assert.Equal(["after the upgrade", "in a meeting", "morning"], history!.Where(h => h.Protocol == "spreed").Select(h => h.Message));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContextAsync();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync()); // every later migration applied on top
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task UpgradingKeepsSinceAndLastSeenFromTheHistory()
    {
        using var database = FromReleaseDump();
        using (var connection = new SqliteConnection(database.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO Users VALUES('dora@example.com','2026-11-30 10:17:20');
                INSERT INTO ProtocolStatuses VALUES('dora@example.com','spreed','unavailable',NULL,'','2026-11-30 10:17:20',NULL,NULL,NULL,NULL);
                INSERT INTO History VALUES(100,'dora@example.com','2026-11-30 10:17:00','overall','available',NULL,'',NULL,NULL,NULL,'api');
                INSERT INTO History VALUES(101,'dora@example.com','2026-11-30 10:17:10','overall','unavailable',NULL,'',NULL,NULL,NULL,'expiry');
                INSERT INTO History VALUES(102,'dora@example.com','2026-11-30 10:17:20','spreed','unavailable',NULL,'',NULL,NULL,NULL,'api');
                """;
            command.ExecuteNonQuery();
        }
        var clock = new FakeTimeProvider(FixtureTime);
        await using var app = new PresenceApp(database, services: s => s.AddSingleton<TimeProvider>(clock));
        _ = app.Server;

        var dora = app.Get("dora@example.com")!;
        var wentAway = new DateTimeOffset(2026, 11, 30, 10, 17, 10, TimeSpan.Zero);
        Assert.Equal(wentAway, dora.LastSeen);
        Assert.Equal(wentAway, dora.OverallSince);
        var alice = app.Get("alice@example.com")!; // busy since her last overall change, and seen then
        Assert.Equal(alice.LastChange, alice.OverallSince);
        Assert.Equal(alice.LastChange, alice.LastSeen);
    }

    private sealed record HistoryEntry(string Protocol, string Status, string Message);
}
