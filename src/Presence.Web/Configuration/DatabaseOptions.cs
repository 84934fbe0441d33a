using System.ComponentModel.DataAnnotations;

namespace Presence.Web.Configuration;

/// <summary>Database settings, section <c>Presence:Database</c> (docs/ARCHITECTURE.md §6, §11).</summary>
internal sealed class DatabaseOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Database";

    /// <summary><c>Sqlite</c> (default; WAL mode) or <c>Postgres</c>.</summary>
    [Required, RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "Presence:Database:Provider must be 'Sqlite' or 'Postgres'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>
    /// SQLite durability (<c>PRAGMA synchronous</c> in WAL mode): <c>Normal</c> (default) keeps every acknowledged write
    /// through a process crash; <c>Full</c> also through a power loss or OS crash, at the cost of an fsync per commit.
    /// Ignored for PostgreSQL.
    /// </summary>
    [Required, RegularExpression("^(Normal|Full)$", ErrorMessage = "Presence:Database:Synchronous must be 'Normal' (survives a process crash) or 'Full' (also a power loss).")]
    public string Synchronous { get; set; } = "Normal";
}
