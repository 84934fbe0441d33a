using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Cluster;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.History;

/// <summary>
/// The history writer's own database connection with reusable (prepared) commands: upserts current-state rows, appends
/// history rows and — on PostgreSQL — the numbered change log entries, inside one transaction. The statements are built
/// from the EF Core model (<see cref="RowCommand{TRow}"/>: table and column names, UTC converters) and the rows come from
/// <see cref="PresenceRowMapper"/>, the one mapping from domain values to rows. Not thread-safe: one writer.
/// </summary>
/// <remarks>
/// Current state is written per user and protocol (only the protocols that changed), so a node never overwrites a
/// protocol status another node committed. With the change log, every transaction first takes one transaction-scoped
/// advisory lock, so log sequences become visible in order and a follower reading "after n" never skips an entry
/// (docs/ARCHITECTURE.md, "Several nodes"); the commit sends a NOTIFY on <see cref="ChangeLog.Channel"/> as a wake-up.
/// </remarks>
internal sealed class HistoryStore : IAsyncDisposable
{
    private readonly PresenceDbContext _db;
    private readonly DbConnection _connection;
    private readonly ChangeLog? _log;
    private readonly RowCommand<UserRow> _upsertUser;
    private readonly RowCommand<ProtocolStatusRow> _deleteStatus;
    private readonly RowCommand<XmppResourceRow> _deleteResources;
    private readonly RowCommand<ProtocolStatusRow> _insertStatus;
    private readonly RowCommand<XmppResourceRow> _insertResource;
    private readonly RowCommand<HistoryRow> _insertHistory;
    private readonly RowCommand<PresenceLogRow>? _insertLog;
    private readonly RowCommand<PresenceLogRow>? _insertLogWithKey;
    private readonly DbCommand? _lockLog;
    private readonly DbCommand? _latestLog;
    private readonly DbCommand? _notify;

    private HistoryStore(PresenceDbContext db, DbConnection connection, ChangeLog? log)
    {
        _db = db;
        _connection = connection;
        _log = log;
        _upsertUser = RowCommand<UserRow>.Upsert(db, connection);
        _deleteStatus = RowCommand<ProtocolStatusRow>.DeleteWhere(db, connection, nameof(ProtocolStatusRow.UserId), nameof(ProtocolStatusRow.Protocol));
        _deleteResources = RowCommand<XmppResourceRow>.DeleteWhere(db, connection, nameof(XmppResourceRow.UserId));
        _insertStatus = RowCommand<ProtocolStatusRow>.Insert(db, connection);
        _insertResource = RowCommand<XmppResourceRow>.Insert(db, connection);
        _insertHistory = RowCommand<HistoryRow>.Insert(db, connection);
        if (log is not null)
        {
            _insertLog = RowCommand<PresenceLogRow>.InsertReturningKey(db, connection);
            _insertLogWithKey = RowCommand<PresenceLogRow>.InsertWithKey(db, connection);
            _lockLog = Command(connection, ChangeLog.LockSql);
            _latestLog = Command(connection, ChangeLog.LatestSql, "@user", "@protocol");
            _notify = Command(connection, ChangeLog.NotifySql);
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = "";
            command.Parameters.Add(p);
        }
        return command;
    }

    /// <summary>Opens the writer's connection (SQLite pragmas applied by the interceptor).</summary>
    /// <param name="db">A context of the configured provider; the store owns it.</param>
    /// <param name="log">The change log to append to (PostgreSQL), or <c>null</c> (a single node on SQLite).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    public static async Task<HistoryStore> OpenAsync(PresenceDbContext db, ChangeLog? log, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        return new HistoryStore(db, db.Database.GetDbConnection(), log);
    }

    /// <summary>
    /// Writes <paramref name="items"/> in one transaction: each changed protocol's current state (the last item per user
    /// and protocol), the history rows and, with the change log, one log entry per item, whose sequence is set on the
    /// item. An item with a <see cref="StoreItem.Condition"/> is skipped (nothing of it is written,
    /// <see cref="StoreItem.Superseded"/> is set to the newer entry) when the log already holds a newer entry for its
    /// user and protocol: an expiry decided by several nodes is committed once.
    /// </summary>
    /// <exception cref="DbException">The database refused the write; nothing was committed.</exception>
    public async Task WriteAsync(IReadOnlyList<StoreItem> items, CancellationToken cancellationToken)
    {
        if (_connection.CanCreateBatch)
        {
            await WriteBatchedAsync(items, cancellationToken);
            return;
        }
        await using var tx = await _connection.BeginTransactionAsync(cancellationToken);
        _upsertUser.Transaction = _deleteStatus.Transaction = _deleteResources.Transaction = tx;
        _insertStatus.Transaction = _insertResource.Transaction = _insertHistory.Transaction = tx;
        if (_log is not null)
        {
            _insertLog!.Transaction = tx;
            _lockLog!.Transaction = _latestLog!.Transaction = _notify!.Transaction = tx;
            await _lockLog.ExecuteNonQueryAsync(cancellationToken);
            foreach (var item in items)
            {
                item.Sequence = 0;
                item.Superseded = null;
                if (item.Condition is not { } known) continue;
                _latestLog.Parameters[0].Value = item.After.User.Value;
                _latestLog.Parameters[1].Value = item.Protocol;
                await using var reader = await _latestLog.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) > known) item.Superseded = ChangeLog.ReadRow(reader);
            }
        }
        var last = LastPerProtocol(items);
        foreach (var item in last.Values) await WriteStatusAsync(item, cancellationToken);
        var logged = false;
        foreach (var item in items)
        {
            if (item.Superseded is not null) continue;
            foreach (var h in item.History) await _insertHistory.ExecuteAsync(h, cancellationToken);
            if (_log is null) continue;
            item.Sequence = await _insertLog!.ExecuteReturningKeyAsync(LogRow(item, _log.Node), cancellationToken);
            logged = true;
        }
        if (logged) await _notify!.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    // PostgreSQL: the same statements in two round trips (DbBatch) plus the commit, instead of one per statement: first
    // the log lock, the sequence numbers reserved for the items (gaps where one is superseded are harmless) and the
    // conditions' newest entries; then every write.
    private async Task WriteBatchedAsync(IReadOnlyList<StoreItem> items, CancellationToken cancellationToken)
    {
        await using var tx = await _connection.BeginTransactionAsync(cancellationToken);
        long firstSequence = 0;
        if (_log is not null)
        {
            await using var check = _connection.CreateBatch();
            check.Transaction = tx;
            Add(check, ChangeLog.LockSql);
            Add(check, ChangeLog.ReserveSql, ("@count", (long)items.Count));
            var conditional = new List<StoreItem>();
            foreach (var item in items)
            {
                item.Sequence = 0;
                item.Superseded = null;
                if (item.Condition is null) continue;
                conditional.Add(item);
                Add(check, ChangeLog.LatestSql, ("@user", item.After.User.Value), ("@protocol", item.Protocol));
            }
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken); // the lock's void row
            await reader.ReadAsync(cancellationToken);
            firstSequence = reader.GetInt64(0) - items.Count + 1;
            foreach (var item in conditional)
            {
                await reader.NextResultAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) > item.Condition!.Value) item.Superseded = ChangeLog.ReadRow(reader);
            }
        }
        await using var batch = _connection.CreateBatch();
        batch.Transaction = tx;
        var last = LastPerProtocol(items);
        foreach (var item in last.Values)
        {
            var user = item.After.User;
            _upsertUser.AddTo(batch, PresenceRowMapper.ToRow(item.After));
            _deleteStatus.AddTo(batch, user.Value, item.Protocol);
            if (item.Protocol == Protocols.Xmpp) _deleteResources.AddTo(batch, user.Value);
            if (item.Status is not { } status) continue; // a cleared preferred presence or status message: the row is gone
            _insertStatus.AddTo(batch, PresenceRowMapper.ToRow(user, status));
            foreach (var r in status.Resources) _insertResource.AddTo(batch, PresenceRowMapper.ToRow(user, r));
        }
        var logged = false;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Superseded is not null) continue;
            foreach (var h in item.History) _insertHistory.AddTo(batch, h);
            if (_log is null) continue;
            item.Sequence = firstSequence + i;
            var row = LogRow(item, _log.Node);
            row.Sequence = item.Sequence;
            _insertLogWithKey!.AddTo(batch, row);
            logged = true;
        }
        if (logged) Add(batch, ChangeLog.NotifySql);
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    // The item written last for each user and protocol: its status is the one current state keeps (a superseded item
    // writes nothing, a refresh changes no state).
    private static Dictionary<(UserId, string), StoreItem> LastPerProtocol(IReadOnlyList<StoreItem> items)
    {
        var last = new Dictionary<(UserId, string), StoreItem>();
        foreach (var item in items)
        {
            if (item.Superseded is null && !item.Refresh) last[(item.After.User, item.Protocol)] = item;
        }
        return last;
    }

    // The change log entry of an item (its sequence is assigned by the database or reserved by the caller).
    private static PresenceLogRow LogRow(StoreItem item, string node) => new()
    {
        Node = node, UserId = item.After.User.Value, Protocol = item.Protocol, Status = LoggedStatus.Write(item.Status),
        Cause = item.Cause.ToWire(), At = item.At, Refresh = item.Refresh,
    };

    private static void Add(DbBatch batch, string sql, params (string Name, object Value)[] parameters)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        batch.BatchCommands.Add(command);
    }

    private async Task WriteStatusAsync(StoreItem item, CancellationToken cancellationToken)
    {
        var user = item.After.User;
        await _upsertUser.ExecuteAsync(PresenceRowMapper.ToRow(item.After), cancellationToken);
        await _deleteStatus.ExecuteForValuesAsync(cancellationToken, user.Value, item.Protocol);
        if (item.Protocol == Protocols.Xmpp) await _deleteResources.ExecuteForValueAsync(user.Value, cancellationToken);
        if (item.Status is not { } status) return; // a cleared preferred presence or status message: the row is gone
        await _insertStatus.ExecuteAsync(PresenceRowMapper.ToRow(user, status), cancellationToken);
        foreach (var r in status.Resources) await _insertResource.ExecuteAsync(PresenceRowMapper.ToRow(user, r), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _upsertUser.DisposeAsync();
        await _deleteStatus.DisposeAsync();
        await _deleteResources.DisposeAsync();
        await _insertStatus.DisposeAsync();
        await _insertResource.DisposeAsync();
        await _insertHistory.DisposeAsync();
        if (_insertLog is not null) await _insertLog.DisposeAsync();
        if (_insertLogWithKey is not null) await _insertLogWithKey.DisposeAsync();
        if (_lockLog is not null) await _lockLog.DisposeAsync();
        if (_latestLog is not null) await _latestLog.DisposeAsync();
        if (_notify is not null) await _notify.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>One change to write: a user's protocol status with its history rows (see <see cref="HistoryStore.WriteAsync"/>).</summary>
/// <param name="After">The user's presence after the change.</param>
/// <param name="Protocol">The protocol.</param>
/// <param name="Status">The protocol status written (<c>After.Get(protocol)</c>), or <c>null</c> when a reserved pseudo
/// protocol was cleared (its row is deleted; the change log entry's status is JSON <c>null</c>).</param>
/// <param name="Cause">Why it changed.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Refresh">A refresh that changed nothing: only a log entry is written.</param>
/// <param name="Condition">For a conditional change (an expiry): the newest log entry this node held for the user's protocol when it decided; <c>null</c> otherwise.</param>
/// <param name="History">History rows of the change (none for a refresh).</param>
public sealed record StoreItem(UserPresence After, string Protocol, ProtocolStatus? Status, ChangeCause Cause, DateTimeOffset At, bool Refresh, long? Condition, List<HistoryRow> History)
{
    /// <summary>The change log sequence assigned at commit (0 without a log, or when superseded).</summary>
    public long Sequence { get; set; }

    /// <summary>The newer log entry that made a conditional change moot (it was not written), or <c>null</c>.</summary>
    public PresenceLogRow? Superseded { get; set; }
}
