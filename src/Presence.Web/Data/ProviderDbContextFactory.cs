using Microsoft.EntityFrameworkCore;

namespace Presence.Web.Data;


/// <summary>Hands out the configured provider's context as a <see cref="PresenceDbContext"/>.</summary>
internal sealed class ProviderDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PresenceDbContext>
    where TContext : PresenceDbContext
{
    public PresenceDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<PresenceDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
