using Microsoft.EntityFrameworkCore;
using Presence.Domain.Model;
using Presence.Domain.Spreed;
using Presence.Domain.Tracking;

namespace Presence.Web.Data;

/// <summary>
/// Start-up step run before any hosted service starts (<see cref="IHostedLifecycleService.StartingAsync"/>):
/// applies migrations (docs/ARCHITECTURE.md §6), switches SQLite to WAL, and reloads current state into the
/// <see cref="PresenceTracker"/> with <see cref="PresenceTracker.Restore"/> — after the
/// <see cref="SpreedExpiryScheduler"/> and the <see cref="StatusDeadlineScheduler"/> exist, so restored spreed statuses,
/// preferred presences and status messages get their deadlines again.
/// </summary>
internal sealed class DatabaseStartup(
    IDbContextFactory<PresenceDbContext> contexts,
    PresenceTracker tracker,
    SpreedExpiryScheduler spreedExpiry,
    StatusDeadlineScheduler statusDeadlines,
    Cluster.ClusterMode cluster,
    Cluster.ChangeLogPositions positions,
    ILogger<DatabaseStartup> logger) : IHostedLifecycleService
{
    /// <summary>Users restored at start.</summary>
    public int RestoredUsers { get; private set; }

    /// <inheritdoc />
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying database migrations: {Migrations}", string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
        List<UserPresence> users;
        if (cluster.Enabled)
        {
            // The state and the log position it reflects, read in one snapshot: the follower continues from there.
            await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var baseline = await db.Database.SqlQueryRaw<long>(Cluster.ChangeLog.MaxAsValueSql).SingleAsync(cancellationToken);
            users = await LoadAsync(db, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            positions.Restored(baseline);
            logger.LogInformation("Node {Node} joins the cluster at change log sequence {Sequence}", cluster.NodeName, baseline);
        }
        else
        {
            users = await LoadAsync(db, cancellationToken);
        }
        tracker.Restore(users);
        RestoredUsers = users.Count;
        logger.LogInformation("Restored current presence of {Users} users ({Spreed} spreed statuses scheduled for expiry, {Ends} preferred presences and status messages with an end)",
            users.Count, spreedExpiry.Scheduled, statusDeadlines.Scheduled);
    }

    /// <summary>Loads every user's current presence from the database.</summary>
    public static async Task<List<UserPresence>> LoadAsync(PresenceDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.PresenceUsers.AsNoTracking().ToListAsync(cancellationToken);
        var protocols = (await db.ProtocolStatuses.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(p => p.UserId);
        var resources = (await db.XmppResources.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(r => r.UserId);
        var result = new List<UserPresence>(users.Count);
        foreach (var u in users)
        {
            if (!UserId.TryParse(u.Id, out _, out _)) continue; // not a valid bare JID any more: skip rather than fail
            result.Add(PresenceRowMapper.ToDomain(u, protocols[u.Id], resources[u.Id]));
        }
        return result;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
