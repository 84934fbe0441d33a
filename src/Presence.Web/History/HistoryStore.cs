using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Presence.Domain.Model;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.History;

/// <summary>
/// The history writer's own database connection with reusable (prepared) commands: upserts current-state rows and
/// appends history rows inside one transaction. The SQL is the common subset of SQLite (3.24+) and PostgreSQL
/// (<c>INSERT … ON CONFLICT … DO UPDATE</c>), so one code path serves both providers. Not thread-safe: one writer.
/// </summary>
public sealed class HistoryStore : IAsyncDisposable
{
    private readonly PresenceDbContext _db;
    private readonly DbConnection _connection;
    private readonly DbCommand _upsertUser;
    private readonly DbCommand _deleteStatuses;
    private readonly DbCommand _deleteResources;
    private readonly DbCommand _insertStatus;
    private readonly DbCommand _insertResource;
    private readonly DbCommand _insertHistory;

    private HistoryStore(PresenceDbContext db, DbConnection connection)
    {
        _db = db;
        _connection = connection;
        _upsertUser = Command("""INSERT INTO "Users" ("Id", "LastChange") VALUES (@u, @t) ON CONFLICT ("Id") DO UPDATE SET "LastChange" = excluded."LastChange" """, "u", "t");
        _deleteStatuses = Command("""DELETE FROM "ProtocolStatuses" WHERE "UserId" = @u""", "u");
        _deleteResources = Command("""DELETE FROM "XmppResources" WHERE "UserId" = @u""", "u");
        _insertStatus = Command("""
            INSERT INTO "ProtocolStatuses" ("UserId", "Protocol", "State", "Show", "Message", "Since", "AnnotationKind", "AnnotationFrom", "AnnotationDescription", "AnnotationSince")
            VALUES (@u, @p, @s, @sh, @m, @t, @ak, @af, @ad, @asn)
            """, "u", "p", "s", "sh", "m", "t", "ak", "af", "ad", "asn");
        _insertResource = Command("""
            INSERT INTO "XmppResources" ("UserId", "Resource", "Show", "Priority", "Message", "Since", "Ip", "Hostname", "AnnotationKind", "AnnotationFrom", "AnnotationDescription", "AnnotationSince")
            VALUES (@u, @r, @sh, @pr, @m, @t, @ip, @h, @ak, @af, @ad, @asn)
            """, "u", "r", "sh", "pr", "m", "t", "ip", "h", "ak", "af", "ad", "asn");
        _insertHistory = Command("""
            INSERT INTO "History" ("UserId", "At", "Protocol", "State", "Show", "Message", "AnnotationKind", "AnnotationFrom", "AnnotationDescription", "Cause")
            VALUES (@u, @t, @p, @s, @sh, @m, @ak, @af, @ad, @c)
            """, "u", "t", "p", "s", "sh", "m", "ak", "af", "ad", "c");
    }

    /// <summary>Opens the writer's connection (SQLite pragmas applied by the interceptor).</summary>
    public static async Task<HistoryStore> OpenAsync(PresenceDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        return new HistoryStore(db, db.Database.GetDbConnection());
    }

    /// <summary>
    /// Writes the current state of <paramref name="users"/> and appends <paramref name="history"/>, in one transaction.
    /// </summary>
    /// <exception cref="DbException">The database refused the write; nothing was committed.</exception>
    public async Task WriteAsync(IReadOnlyCollection<UserPresence> users, IReadOnlyList<HistoryRow> history, CancellationToken cancellationToken)
    {
        await using var tx = await _connection.BeginTransactionAsync(cancellationToken);
        foreach (var c in All) c.Transaction = tx;
        foreach (var user in users) await WriteUserAsync(user, cancellationToken);
        foreach (var h in history)
        {
            Set(_insertHistory, h.UserId, h.At, h.Protocol, h.State, h.Show, h.Message, h.AnnotationKind, h.AnnotationFrom, h.AnnotationDescription, h.Cause);
            await _insertHistory.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    private async Task WriteUserAsync(UserPresence user, CancellationToken cancellationToken)
    {
        var id = user.User.Value;
        Set(_upsertUser, id, user.LastChange.UtcDateTime);
        await _upsertUser.ExecuteNonQueryAsync(cancellationToken);
        Set(_deleteStatuses, id);
        await _deleteStatuses.ExecuteNonQueryAsync(cancellationToken);
        Set(_deleteResources, id);
        await _deleteResources.ExecuteNonQueryAsync(cancellationToken);
        foreach (var p in user.Protocols)
        {
            var row = PresenceRowMapper.ToRow(user.User, p);
            Set(_insertStatus, id, row.Protocol, row.State, row.Show, row.Message, row.Since, row.AnnotationKind, row.AnnotationFrom, row.AnnotationDescription, row.AnnotationSince);
            await _insertStatus.ExecuteNonQueryAsync(cancellationToken);
            foreach (var r in p.Resources)
            {
                var rr = PresenceRowMapper.ToRow(user.User, r);
                Set(_insertResource, id, rr.Resource, rr.Show, rr.Priority, rr.Message, rr.Since, rr.Ip, rr.Hostname, rr.AnnotationKind, rr.AnnotationFrom, rr.AnnotationDescription, rr.AnnotationSince);
                await _insertResource.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private IEnumerable<DbCommand> All => [_upsertUser, _deleteStatuses, _deleteResources, _insertStatus, _insertResource, _insertHistory];

    private DbCommand Command(string sql, params string[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static void Set(DbCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var c in All) await c.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
        await _db.DisposeAsync();
    }
}
