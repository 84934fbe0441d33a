using Microsoft.Data.Sqlite;
using Npgsql;

namespace Presence.Web.History;

/// <summary>
/// The database refused the last history commit. Presence keeps flowing in memory; API writes answer 503 until a
/// commit succeeds again, then everything held in memory is committed.
/// </summary>
/// <param name="Since">First failed commit of this outage (UTC).</param>
/// <param name="Cause">One line for operators and callers naming the cause (e.g. "the database disk is full").</param>
/// <param name="Error">The provider's error text (logs and <c>/healthz</c> details only).</param>
/// <param name="RetryIn">Delay until the next commit attempt (≤ <see cref="HistoryRetry.MaxDelay"/>).</param>
public sealed record DatabaseOutage(DateTimeOffset Since, string Cause, string Error, TimeSpan RetryIn)
{
    /// <summary>Names the cause of a failed commit in words an operator can act on.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 13 } => "the database disk is full",
        SqliteException { SqliteErrorCode: 8 } => "the database file is read-only",
        SqliteException { SqliteErrorCode: 14 } => "the database file cannot be opened",
        SqliteException { SqliteErrorCode: 10 } => "the database file cannot be written (I/O error: a read-only file or file system, or a failing disk)",
        SqliteException { SqliteErrorCode: 5 or 6 } => "the database is locked by another process",
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => "the database server is shutting down or starting",
        PostgresException { SqlState: "53100" } => "the database server's disk is full",
        NpgsqlException and not PostgresException => "the database server cannot be reached",
        _ when ex.InnerException is { } inner && inner != ex => Describe(inner),
        _ => $"the database refused the write ({ex.GetType().Name})",
    };
}
