using Microsoft.EntityFrameworkCore;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.Authentication;

/// <summary>Rows of the admin audit log (docs/ARCHITECTURE.md §10): who did what to which API client or account, when (UTC).</summary>
internal static class AdminAudit
{
    /// <summary>Adds a row to <paramref name="db"/>, saved with the change it records (one transaction).</summary>
    /// <param name="db">The context of the change.</param>
    /// <param name="at">When (UTC).</param>
    /// <param name="actor">Who (a user name); blank becomes <c>system</c>.</param>
    /// <param name="action">What, e.g. <c>api-client.revoke</c>, <c>user.create</c>, <c>account.password-change</c>.</param>
    /// <param name="detail">To what, in words (never a secret).</param>
    public static void Add(PresenceDbContext db, DateTimeOffset at, string? actor, string action, string detail) =>
        db.AdminAudit.Add(new AdminAuditRow { At = at, Actor = string.IsNullOrWhiteSpace(actor) ? "system" : actor, Action = action, Detail = detail });

    /// <summary>Writes a row on its own (for changes made through Identity's own context).</summary>
    public static async Task WriteAsync(IDbContextFactory<PresenceDbContext> contexts, DateTimeOffset at, string? actor, string action, string detail,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Add(db, at, actor, action, detail);
        await db.SaveChangesAsync(cancellationToken);
    }
}
