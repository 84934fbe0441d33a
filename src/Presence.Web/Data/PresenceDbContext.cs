using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data;

/// <summary>
/// The service's database (DESIGN §8): current presence, history, component subscribers, API clients, admin audit,
/// Data Protection keys and the ASP.NET Core Identity tables. The same model serves SQLite and PostgreSQL; every
/// <see cref="DateTime"/> is UTC (read back with <see cref="DateTimeKind.Utc"/>), converted once by the
/// conventions below rather than at each call site. Each provider has its own derived type
/// (<see cref="SqlitePresenceDbContext"/>, <see cref="PostgresPresenceDbContext"/>) so that each has its own generated
/// migrations and model snapshot; the rest of the service uses this type through
/// <see cref="IDbContextFactory{TContext}"/> of <see cref="PresenceDbContext"/>.
/// </summary>
public abstract class PresenceDbContext(DbContextOptions options) : IdentityDbContext<IdentityUser>(options)
{
    /// <summary>Maximum stored length of a bare JID (two 1023-byte parts and the '@', RFC 7622 §3.1).</summary>
    public const int UserIdMaxLength = 3071;

    /// <summary>Known users.</summary>
    public DbSet<UserRow> PresenceUsers => Set<UserRow>();

    /// <summary>Current per-protocol statuses.</summary>
    public DbSet<ProtocolStatusRow> ProtocolStatuses => Set<ProtocolStatusRow>();

    /// <summary>Current XMPP resources.</summary>
    public DbSet<XmppResourceRow> XmppResources => Set<XmppResourceRow>();

    /// <summary>Append-only history.</summary>
    public DbSet<HistoryRow> History => Set<HistoryRow>();

    /// <summary>The component's subscribers.</summary>
    public DbSet<ComponentSubscriberRow> ComponentSubscribers => Set<ComponentSubscriberRow>();

    /// <summary>API clients.</summary>
    public DbSet<ApiClientRow> ApiClients => Set<ApiClientRow>();

    /// <summary>Admin audit log.</summary>
    public DbSet<AdminAuditRow> AdminAudit => Set<AdminAuditRow>();

    /// <summary>Data Protection key ring.</summary>
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PresenceDbContext).Assembly, t => t.Namespace == typeof(Configurations.UserConfiguration).Namespace);
    }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        builder.Properties<DateTime?>().HaveConversion<UtcNullableDateTimeConverter>();
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    internal sealed class UtcNullableDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
