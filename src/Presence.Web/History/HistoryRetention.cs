using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Presence.Web.Configuration;
using Presence.Web.Data;

namespace Presence.Web.History;

/// <summary>
/// Deletes history rows older than <c>Presence:History:Retention</c> (docs/ARCHITECTURE.md §6), in the background every
/// <c>Presence:History:PruneInterval</c>, starting shortly after start. Failures are logged and retried next interval.
/// </summary>
internal sealed class HistoryRetention(
    IDbContextFactory<PresenceDbContext> contexts,
    IOptions<HistoryOptions> options,
    TimeProvider time,
    ILogger<HistoryRetention> logger) : BackgroundService
{
    /// <summary>How long change log entries are kept: 1 day.</summary>
    public static readonly TimeSpan ChangeLogRetention = TimeSpan.FromDays(1);

    /// <summary>Deletes history rows older than the retention, and change log entries older than <see cref="ChangeLogRetention"/>, now.</summary>
    /// <returns>Rows deleted.</returns>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.History.Where(h => h.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0) logger.LogInformation("Pruned {Rows} history rows older than {Cutoff:O}", deleted, cutoff);
        // The change log only carries changes to the nodes that follow it; a node that starts restores current state
        // instead of reading old entries, so a day is plenty (docs/ARCHITECTURE.md, "Several nodes").
        var logCutoff = time.GetUtcNow() - ChangeLogRetention;
        var entries = await db.PresenceLog.Where(e => e.At < logCutoff).ExecuteDeleteAsync(cancellationToken);
        if (entries > 0) logger.LogInformation("Pruned {Entries} change log entries older than {Cutoff:O}", entries, logCutoff);
        return deleted;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "History retention prune failed; retrying in {Interval}", options.Value.PruneInterval);
                }
                await Task.Delay(options.Value.PruneInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
