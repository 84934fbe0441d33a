using System.Data.Common;
using Presence.Web.Data.Entities;

namespace Presence.Web.Cluster;

/// <summary>
/// The numbered change log on PostgreSQL (table <c>PresenceLog</c>, docs/ARCHITECTURE.md "Several nodes"): what this
/// node writes into it and how entries are read back. Registered only with the PostgreSQL provider; a single node on
/// SQLite has no log.
/// </summary>
/// <param name="node">This node's name, stored with each entry it writes.</param>
public sealed class ChangeLog(string node)
{
    /// <summary>The LISTEN/NOTIFY channel a commit with log entries notifies (a wake-up only: readers read from their position).</summary>
    public const string Channel = "presence_log";

    /// <summary>
    /// Key of the transaction-scoped advisory lock every log writer holds until it commits, so that log sequences
    /// become visible in increasing order (an identity column alone can commit out of order).
    /// </summary>
    public const long LockKey = 0x5072_6573_4C6F_67; // "PresLog"

    internal const string LockSql = "SELECT pg_advisory_xact_lock(22643778188504935)"; // = LockKey
    internal const string NotifySql = "SELECT pg_notify('" + Channel + "', '')";
    internal const string Columns = "\"Sequence\", \"Node\", \"UserId\", \"Protocol\", \"Status\", \"Cause\", \"At\", \"Refresh\"";
    internal const string LatestSql = "SELECT " + Columns + " FROM \"PresenceLog\" WHERE \"UserId\" = @user AND \"Protocol\" = @protocol ORDER BY \"Sequence\" DESC LIMIT 1";
    internal const string AfterSql = "SELECT " + Columns + " FROM \"PresenceLog\" WHERE \"Sequence\" > @after ORDER BY \"Sequence\" LIMIT @limit";
    /// <summary>Reserves @count consecutive sequence numbers (under the log lock) and returns the last one.</summary>
    internal const string ReserveSql = "SELECT setval(pg_get_serial_sequence('\"PresenceLog\"', 'Sequence'), nextval(pg_get_serial_sequence('\"PresenceLog\"', 'Sequence')) + @count - 1)";
    internal const string MaxAsValueSql = "SELECT COALESCE(MAX(\"Sequence\"), 0) AS \"Value\" FROM \"PresenceLog\"";
    internal const string MaxSql = "SELECT COALESCE(MAX(\"Sequence\"), 0) FROM \"PresenceLog\"";

    /// <summary>This node's name.</summary>
    public string Node { get; } = node;

    /// <summary>Reads the current row of a reader over <see cref="Columns"/>.</summary>
    internal static PresenceLogRow ReadRow(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Node = reader.GetString(1),
        UserId = reader.GetString(2),
        Protocol = reader.GetString(3),
        Status = reader.GetString(4),
        Cause = reader.GetString(5),
        At = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc)),
        Refresh = reader.GetBoolean(7),
    };
}
