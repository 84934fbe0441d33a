using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Presence.Domain.Model;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.History;

/// <summary>
/// The history writer's own database connection with reusable (prepared) commands: upserts current-state rows and
/// appends history rows inside one transaction. The statements are built from the EF Core model
/// (<see cref="RowCommand{TRow}"/>: table and column names, UTC converters) and the rows come from
/// <see cref="PresenceRowMapper"/>, the one mapping from domain values to rows. Not thread-safe: one writer.
/// </summary>
internal sealed class HistoryStore : IAsyncDisposable
{
    private readonly PresenceDbContext _db;
    private readonly DbConnection _connection;
    private readonly RowCommand<UserRow> _upsertUser;
    private readonly RowCommand<ProtocolStatusRow> _deleteStatuses;
    private readonly RowCommand<XmppResourceRow> _deleteResources;
    private readonly RowCommand<ProtocolStatusRow> _insertStatus;
    private readonly RowCommand<XmppResourceRow> _insertResource;
    private readonly RowCommand<HistoryRow> _insertHistory;

    private HistoryStore(PresenceDbContext db, DbConnection connection)
    {
        _db = db;
        _connection = connection;
        _upsertUser = RowCommand<UserRow>.Upsert(db, connection);
        _deleteStatuses = RowCommand<ProtocolStatusRow>.DeleteWhere(db, connection, nameof(ProtocolStatusRow.UserId));
        _deleteResources = RowCommand<XmppResourceRow>.DeleteWhere(db, connection, nameof(XmppResourceRow.UserId));
        _insertStatus = RowCommand<ProtocolStatusRow>.Insert(db, connection);
        _insertResource = RowCommand<XmppResourceRow>.Insert(db, connection);
        _insertHistory = RowCommand<HistoryRow>.Insert(db, connection);
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
        _upsertUser.Transaction = _deleteStatuses.Transaction = _deleteResources.Transaction = tx;
        _insertStatus.Transaction = _insertResource.Transaction = _insertHistory.Transaction = tx;
        foreach (var user in users) await WriteUserAsync(user, cancellationToken);
        foreach (var h in history) await _insertHistory.ExecuteAsync(h, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    private async Task WriteUserAsync(UserPresence user, CancellationToken cancellationToken)
    {
        await _upsertUser.ExecuteAsync(PresenceRowMapper.ToRow(user), cancellationToken);
        await _deleteStatuses.ExecuteForValueAsync(user.User.Value, cancellationToken);
        await _deleteResources.ExecuteForValueAsync(user.User.Value, cancellationToken);
        foreach (var p in user.Protocols)
        {
            await _insertStatus.ExecuteAsync(PresenceRowMapper.ToRow(user.User, p), cancellationToken);
            foreach (var r in p.Resources) await _insertResource.ExecuteAsync(PresenceRowMapper.ToRow(user.User, r), cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _upsertUser.DisposeAsync();
        await _deleteStatuses.DisposeAsync();
        await _deleteResources.DisposeAsync();
        await _insertStatus.DisposeAsync();
        await _insertResource.DisposeAsync();
        await _insertHistory.DisposeAsync();
        await _db.Database.CloseConnectionAsync();
        await _db.DisposeAsync();
    }
}
