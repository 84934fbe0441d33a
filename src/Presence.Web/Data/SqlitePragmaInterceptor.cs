using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Presence.Web.Data;

/// <summary>
/// Sets per-connection SQLite pragmas: <c>synchronous=NORMAL</c> (durable in WAL mode up to the last checkpointed
/// commit on power loss, safe on process crash) and a busy timeout of 5 s. WAL itself is persistent in the file and
/// is switched on once at start.
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    /// <summary>The pragmas run on every opened connection.</summary>
    public const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    /// <inheritdoc />
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Run(connection);

    /// <inheritdoc />
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Run(connection);
        return Task.CompletedTask;
    }

    private static void Run(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }
}
