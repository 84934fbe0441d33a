using Microsoft.EntityFrameworkCore;

namespace Presence.Web.Data;

/// <summary>The model on PostgreSQL; migrations in <c>Data/Migrations/Postgres</c> (generated with <c>dotnet ef</c>, see docs/DATABASE.md).</summary>
internal sealed class PostgresPresenceDbContext(DbContextOptions<PostgresPresenceDbContext> options) : PresenceDbContext(options);
