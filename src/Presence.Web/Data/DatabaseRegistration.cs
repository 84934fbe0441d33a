using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Presence.Web.Configuration;

namespace Presence.Web.Data;

/// <summary>Registers <see cref="PresenceDbContext"/> for the configured provider (DESIGN §8).</summary>
public static class DatabaseRegistration
{
    /// <summary>The connection string name (<c>ConnectionStrings:Presence</c>).</summary>
    public const string ConnectionStringName = "Presence";

    /// <summary>
    /// Adds a pooled <see cref="PresenceDbContext"/> factory (and scoped contexts) using SQLite (WAL, <c>Presence:Database:Synchronous</c>)
    /// or PostgreSQL (<c>Presence:Database:Provider=Postgres</c>), read lazily from configuration so test hosts can
    /// override it. Pins the Identity schema version to 3 (passkeys) so the tables match the initial migration.
    /// </summary>
    public static IServiceCollection AddPresenceDatabase(this IServiceCollection services)
    {
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
        services.AddSingleton<SqlitePragmaInterceptor>();
        services.AddPooledDbContextFactory<PresenceDbContext>(static (sp, options) => Configure(sp, options));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>True when the configured provider is PostgreSQL.</summary>
    public static bool IsPostgres(IServiceProvider sp) =>
        string.Equals(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider, "Postgres", StringComparison.OrdinalIgnoreCase);

    private static void Configure(IServiceProvider sp, DbContextOptionsBuilder options)
    {
        var configuration = sp.GetRequiredService<IConfiguration>();
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = "Data Source=presence.db";
        if (IsPostgres(sp))
        {
            options.UseNpgsql(connectionString);
        }
        else
        {
            options.UseSqlite(connectionString);
            options.AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>());
        }
        // The initial migration is hand-written (no design-time package here), so there is no model snapshot to compare.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }
}
