using Microsoft.EntityFrameworkCore;
using Presence.Domain.Model;
using Presence.Web.Data;

namespace Presence.Web.Model;


/// <summary>
/// Reads a user's history for the user page (docs/ARCHITECTURE.md §3: one row per change of state, show, message or annotation;
/// protocol <c>overall</c> for the derived state). Read-only; the history writer owns the table.
/// </summary>
public sealed class UserHistory(IDbContextFactory<PresenceDbContext> contexts)
{
    /// <summary>Most entries the timeline chart plots.</summary>
    public const int MaxChartEntries = 2_000;

    /// <summary>One page of entries of <paramref name="user"/> with <c>from &lt;= At &lt; to</c>, newest first.</summary>
    /// <param name="user">The user.</param>
    /// <param name="from">Start of the range (UTC, inclusive).</param>
    /// <param name="to">End of the range (UTC, exclusive).</param>
    /// <param name="skip">Entries to skip (≥ 0).</param>
    /// <param name="take">Entries to return, 1..500.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<HistoryPage> PageAsync(UserId user, DateTimeOffset from, DateTimeOffset to, int skip, int take, CancellationToken cancellationToken = default)
    {
        take = Math.Clamp(take, 1, 500);
        skip = Math.Max(0, skip);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Range(db, user, from, to);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(h => h.At).ThenByDescending(h => h.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new HistoryPage([.. rows.Select(ToEntry)], total);
    }

    /// <summary>Up to <see cref="MaxChartEntries"/> of the newest entries in the range, oldest first (for the chart).</summary>
    public async Task<IReadOnlyList<HistoryEntry>> TimelineAsync(UserId user, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await Range(db, user, from, to).OrderByDescending(h => h.At).ThenByDescending(h => h.Id)
            .Take(MaxChartEntries).ToListAsync(cancellationToken);
        rows.Reverse();
        return [.. rows.Select(ToEntry)];
    }

    /// <summary>
    /// Time of the user's newest overall history entry, or <c>null</c> without history. For a user who is unavailable
    /// now this is when they went unavailable: their "last seen".
    /// </summary>
    public async Task<DateTimeOffset?> LastOverallChangeAsync(UserId user, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var last = await db.History.AsNoTracking()
            .Where(h => h.UserId == user.Value && h.Protocol == Protocols.Overall)
            .OrderByDescending(h => h.At).ThenByDescending(h => h.Id)
            .Select(h => new { h.At, h.State })
            .FirstOrDefaultAsync(cancellationToken);
        return last?.At;
    }

    /// <summary>True when the user has any history.</summary>
    public async Task<bool> AnyAsync(UserId user, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.History.AnyAsync(h => h.UserId == user.Value, cancellationToken);
    }

    private static IQueryable<Data.Entities.HistoryRow> Range(PresenceDbContext db, UserId user, DateTimeOffset from, DateTimeOffset to)
    {
        return db.History.AsNoTracking().Where(h => h.UserId == user.Value && h.At >= from && h.At < to);
    }

    private static HistoryEntry ToEntry(Data.Entities.HistoryRow h)
    {
        PresenceStates.TryParse(h.State, out var state);
        return new HistoryEntry(h.At, h.Protocol, state, h.Show, h.Message,
            h.AnnotationKind, h.AnnotationDescription, h.Cause, h.State == Data.PresenceRowMapper.ClearedState);
    }
}
