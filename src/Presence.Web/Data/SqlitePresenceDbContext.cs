using Microsoft.EntityFrameworkCore;

namespace Presence.Web.Data;

/// <summary>The model on SQLite; migrations in <c>Data/Migrations/Sqlite</c> (generated with <c>dotnet ef</c>, see docs/DATABASE.md).</summary>
internal sealed class SqlitePresenceDbContext(DbContextOptions<SqlitePresenceDbContext> options) : PresenceDbContext(options);
