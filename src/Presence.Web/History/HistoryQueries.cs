using Microsoft.EntityFrameworkCore;
using Presence.Domain.Model;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.History;

/// <summary>Reads a user's history (docs/ARCHITECTURE.md §8 <c>GET /api/v1/presence/{user}/history</c>).</summary>
internal sealed class HistoryQueries(IDbContextFactory<PresenceDbContext> contexts)
{
    /// <summary>Largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>
    /// Rows of <paramref name="user"/> with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>, newest first.
    /// </summary>
    /// <param name="user">The user.</param>
    /// <param name="from">Inclusive lower bound (UTC), or <c>null</c>.</param>
    /// <param name="to">Exclusive upper bound (UTC), or <c>null</c>.</param>
    /// <param name="limit">Most rows, 1..<see cref="MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<List<HistoryRow>> GetAsync(UserId user, DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var q = db.History.AsNoTracking().Where(h => h.UserId == user.Value);
        if (from is { } f) q = q.Where(h => h.At >= f);
        if (to is { } t) q = q.Where(h => h.At < t);
        return await q.OrderByDescending(h => h.At).ThenByDescending(h => h.Id).Take(Math.Clamp(limit, 1, MaxLimit)).ToListAsync(cancellationToken);
    }
}
