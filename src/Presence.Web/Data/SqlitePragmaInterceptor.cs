using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Presence.Web.Configuration;

namespace Presence.Web.Data;

/// <summary>
/// Sets per-connection SQLite pragmas: <c>synchronous</c> from <c>Presence:Database:Synchronous</c> — <c>NORMAL</c>
/// (default; in WAL mode every commit survives a process crash, a power loss may lose the last commits since the
/// last checkpoint) or <c>FULL</c> (an fsync of the WAL per commit: commits also survive a power loss) — and a busy
/// timeout of 5 s. WAL itself is persistent in the file and is switched on once at start.
/// </summary>
internal sealed class SqlitePragmaInterceptor(IOptions<DatabaseOptions> options) : DbConnectionInterceptor
{
    /// <summary>The pragmas run on every opened connection.</summary>
    public string Pragmas { get; } = string.Equals(options.Value.Synchronous, "Full", StringComparison.OrdinalIgnoreCase)
        ? "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;"
        : "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    /// <inheritdoc />
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Run(connection);

    /// <inheritdoc />
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Run(connection);
        return Task.CompletedTask;
    }

    private void Run(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }
}
