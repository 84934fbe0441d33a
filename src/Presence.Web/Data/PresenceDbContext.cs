using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data;

/// <summary>
/// The service's database (docs/ARCHITECTURE.md §6): current presence, history, component subscribers, API clients, admin audit,
/// Data Protection keys and the ASP.NET Core Identity tables. The same model serves SQLite and PostgreSQL; every
/// time is a <see cref="DateTimeOffset"/> stored as a UTC <see cref="DateTime"/>, converted once here rather than at
/// each call site. Each provider has its own derived type
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

    /// <summary>The numbered change log every node of a cluster follows.</summary>
    public DbSet<PresenceLogRow> PresenceLog => Set<PresenceLogRow>();

    /// <summary>The nodes of the cluster and their heartbeats.</summary>
    public DbSet<ClusterNodeRow> ClusterNodes => Set<ClusterNodeRow>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PresenceDbContext).Assembly, t => t.Namespace == typeof(Configurations.UserConfiguration).Namespace);
        StoreTimesAsUtc(builder);
    }

    /// <summary>
    /// Stores every <see cref="DateTimeOffset"/> of the service's own rows as a UTC <see cref="DateTime"/> (the one
    /// place UTC is handled: rows and callers use <see cref="DateTimeOffset"/>, read back at offset zero). Identity's
    /// own columns keep their mapping.
    /// </summary>
    private static void StoreTimesAsUtc(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => e.ClrType.Namespace == typeof(UserRow).Namespace))
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.ClrType == typeof(DateTimeOffset) || property.ClrType == typeof(DateTimeOffset?)) property.SetValueConverter(new UtcConverter());
            }
        }
    }

    /// <summary>A <see cref="DateTimeOffset"/> as UTC <see cref="DateTime"/> (null values are not converted by EF Core).</summary>
    internal sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTime>(
        v => v.UtcDateTime,
        v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));
}
