using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Presence.Web.Data;

/// <summary>The model on SQLite; migrations in <c>Data/Migrations/Sqlite</c> (generated with <c>dotnet ef</c>, see docs/DATABASE.md).</summary>
public sealed class SqlitePresenceDbContext(DbContextOptions<SqlitePresenceDbContext> options) : PresenceDbContext(options);

/// <summary>The model on PostgreSQL; migrations in <c>Data/Migrations/Postgres</c> (generated with <c>dotnet ef</c>, see docs/DATABASE.md).</summary>
public sealed class PostgresPresenceDbContext(DbContextOptions<PostgresPresenceDbContext> options) : PresenceDbContext(options);

/// <summary>Hands out the configured provider's context as a <see cref="PresenceDbContext"/>.</summary>
internal sealed class ProviderDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PresenceDbContext>
    where TContext : PresenceDbContext
{
    public PresenceDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<PresenceDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}

/// <summary>For <c>dotnet ef migrations add … --context SqlitePresenceDbContext</c> (no database is opened).</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePresenceDbContext>
{
    public SqlitePresenceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePresenceDbContext>().UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(DesignTimeServices.Identity).Options);
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresPresenceDbContext</c> (no database is opened).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPresenceDbContext>
{
    public PostgresPresenceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPresenceDbContext>().UseNpgsql("Host=localhost;Database=design-time")
            .UseApplicationServiceProvider(DesignTimeServices.Identity).Options);
}

/// <summary>The Identity store settings the service uses, so design-time tools build the same model.</summary>
internal static class DesignTimeServices
{
    public static readonly IServiceProvider Identity = new ServiceCollection()
        .Configure<IdentityOptions>(o => DatabaseRegistration.ConfigureIdentityStore(o.Stores))
        .BuildServiceProvider();
}
