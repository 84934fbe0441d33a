using Microsoft.EntityFrameworkCore;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.Authentication;

/// <summary>Reads the admin audit log (written by <see cref="AdminAudit"/>), newest first; the audit page shows it.</summary>
/// <param name="contexts">The database.</param>
public sealed class AdminAuditLog(IDbContextFactory<PresenceDbContext> contexts)
{
    /// <summary>The most recent rows, newest first.</summary>
    /// <param name="limit">Most rows returned, clamped to 1–1000.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<AdminAuditRow>> RecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AdminAudit.AsNoTracking().OrderByDescending(a => a.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
    }
}
