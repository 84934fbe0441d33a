using Microsoft.EntityFrameworkCore;
using Presence.Web.Data.Entities;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

namespace Presence.Web.Data;

/// <summary><see cref="ISubscriberStore"/> over table <c>ComponentSubscribers</c> (RFC 6121 §3).</summary>
internal sealed class EfSubscriberStore(IDbContextFactory<PresenceDbContext> contexts, TimeProvider time) : ISubscriberStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ComponentSubscribers.AsNoTracking().OrderBy(s => s.BareJid).Select(s => s.BareJid).ToListAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task AddAsync(string bareJid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(bareJid);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ComponentSubscribers.AnyAsync(s => s.BareJid == bareJid, cancellationToken)) return;
        db.ComponentSubscribers.Add(new ComponentSubscriberRow { BareJid = bareJid, Since = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (!await ExistsAsync(bareJid, cancellationToken)) throw;
            // Added concurrently: idempotent.
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string bareJid, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.ComponentSubscribers.Where(s => s.BareJid == bareJid).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<bool> ExistsAsync(string bareJid, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ComponentSubscribers.AnyAsync(s => s.BareJid == bareJid, cancellationToken);
    }
}
