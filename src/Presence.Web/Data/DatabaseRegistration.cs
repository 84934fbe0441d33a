using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Presence.Web.Configuration;

namespace Presence.Web.Data;

/// <summary>Registers <see cref="PresenceDbContext"/> for the configured provider (docs/ARCHITECTURE.md §6).</summary>
internal static class DatabaseRegistration
{
    /// <summary>The connection string name (<c>ConnectionStrings:Presence</c>).</summary>
    public const string ConnectionStringName = "Presence";

    /// <summary>
    /// Adds a pooled <see cref="PresenceDbContext"/> factory (and scoped contexts) using SQLite (WAL, <c>Presence:Database:Synchronous</c>)
    /// or PostgreSQL (<c>Presence:Database:Provider=Postgres</c>), read lazily from configuration so test hosts can
    /// override it; each provider's derived context carries its own generated migrations. Pins the Identity schema
    /// version to 3 (passkeys) so the tables match the initial migration.
    /// </summary>
    public static IServiceCollection AddPresenceDatabase(this IServiceCollection services)
    {
        services.Configure<IdentityOptions>(o => ConfigureIdentityStore(o.Stores));
        services.AddSingleton<SqlitePragmaInterceptor>();
        services.AddPooledDbContextFactory<SqlitePresenceDbContext>(static (sp, options) =>
        {
            options.UseSqlite(ConnectionString(sp));
            options.AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>());
        });
        // On PostgreSQL the node's name is the connection's Application Name (pg_stat_activity shows which node is which).
        services.AddPooledDbContextFactory<PostgresPresenceDbContext>(static (sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<Cluster.ClusterMode>().ConnectionString ?? ConnectionString(sp)));
        services.AddSingleton<IDbContextFactory<PresenceDbContext>>(sp => IsPostgres(sp)
            ? new ProviderDbContextFactory<PostgresPresenceDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresPresenceDbContext>>())
            : new ProviderDbContextFactory<SqlitePresenceDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePresenceDbContext>>()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>
    /// The Identity store settings that shape the model (schema version 3 with passkeys; keys of logins and tokens at
    /// most 128 characters, as <c>AddDefaultTokenProviders</c> sets): used by the service and the design-time factories alike.
    /// </summary>
    public static void ConfigureIdentityStore(StoreOptions stores)
    {
        stores.SchemaVersion = IdentitySchemaVersions.Version3;
        stores.MaxLengthForKeys = 128;
    }

    /// <summary>True when the configured provider is PostgreSQL.</summary>
    public static bool IsPostgres(IServiceProvider sp) =>
        string.Equals(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider, "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The configured connection string (<c>ConnectionStrings:Presence</c>), or SQLite's <c>presence.db</c> when none is set.</summary>
    internal static string ConnectionString(IServiceProvider sp)
    {
        var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
        return string.IsNullOrWhiteSpace(connectionString) ? "Data Source=presence.db" : connectionString;
    }
}
