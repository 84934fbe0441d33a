using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Presence.Web.Data;

namespace Presence.Web.Authentication;

/// <summary>
/// Counts accepted requests per API client in memory and writes last-used time and count to the database in one
/// batch every 10 s (and at shutdown), so authentication never costs a database write.
/// </summary>
public sealed class ApiClientUsage(IDbContextFactory<PresenceDbContext> contexts, ILogger<ApiClientUsage> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Counter> _pending = new();

    /// <summary>Records one accepted request of <paramref name="clientId"/> at <paramref name="at"/>.</summary>
    public void Record(long clientId, DateTimeOffset at)
    {
        var c = _pending.GetOrAdd(clientId, static _ => new Counter());
        Interlocked.Increment(ref c.Count);
        Interlocked.Exchange(ref c.LastTicks, at.UtcTicks);
    }

    /// <summary>Writes the pending counters.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var id in _pending.Keys)
        {
            if (!_pending.TryRemove(id, out var c)) continue;
            var count = Interlocked.Read(ref c.Count);
            if (count == 0) continue;
            var last = new DateTimeOffset(Interlocked.Read(ref c.LastTicks), TimeSpan.Zero);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.ApiClients.Where(x => x.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.UseCount, x => x.UseCount + count)
                .SetProperty(x => x.LastUsedAt, last), cancellationToken);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await SafeFlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await SafeFlushAsync(CancellationToken.None);
    }

    private async Task SafeFlushAsync(CancellationToken cancellationToken)
    {
        try { await FlushAsync(cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Writing API client usage failed"); }
    }

    private sealed class Counter
    {
        public long Count;
        public long LastTicks;
    }
}
