using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Presence.Web.History;

/// <summary>
/// A prepared statement over one entity's table whose SQL comes from the EF Core model: table and column names,
/// identifier quoting (<see cref="ISqlGenerationHelper"/>) and each property's value converter (UTC times), so the
/// model stays the one definition of the schema while the history writer skips change tracking. The SQL is the common
/// subset of SQLite (3.24+) and PostgreSQL.
/// </summary>
/// <typeparam name="TRow">An entity type of <see cref="Data.PresenceDbContext"/>.</typeparam>
internal sealed class RowCommand<TRow> : IAsyncDisposable where TRow : class
{
    private readonly DbCommand _command;
    private readonly IClrPropertyGetter[] _getters;
    private readonly ValueConverter?[] _converters;

    private RowCommand(DbCommand command, IProperty[] properties)
    {
        _command = command;
        _getters = [.. properties.Select(p => p.GetGetter())];
        _converters = [.. properties.Select(p => p.GetTypeMapping().Converter)];
        foreach (var _ in properties)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + command.Parameters.Count;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    /// <summary><c>INSERT</c> of every column but store-generated ones.</summary>
    public static RowCommand<TRow> Insert(DbContext db, DbConnection connection) => Build(db, connection, upsert: false);

    /// <summary><c>INSERT</c> of every column, store-generated ones included (values assigned by the caller).</summary>
    public static RowCommand<TRow> InsertWithKey(DbContext db, DbConnection connection) => Build(db, connection, upsert: false, withGenerated: true);

    /// <summary><c>INSERT … ON CONFLICT (primary key) DO UPDATE SET</c> every other column.</summary>
    public static RowCommand<TRow> Upsert(DbContext db, DbConnection connection) => Build(db, connection, upsert: true);

    /// <summary>
    /// <c>DELETE</c> of the rows whose <paramref name="columns"/> properties equal the values given to
    /// <see cref="ExecuteForValueAsync"/> (one column) or <see cref="ExecuteForValuesAsync"/>.
    /// </summary>
    public static RowCommand<TRow> DeleteWhere(DbContext db, DbConnection connection, params string[] columns)
    {
        var (entity, table, sql) = Describe(db);
        var properties = columns.Select(c => entity.FindProperty(c) ?? throw new ArgumentException($"{typeof(TRow).Name} has no property {c}", nameof(columns))).ToArray();
        var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {sql.DelimitIdentifier(table.Name, table.Schema)} WHERE " +
                              string.Join(" AND ", properties.Select((p, i) => $"{sql.DelimitIdentifier(p.GetColumnName(table)!)} = @p{i}"));
        return new RowCommand<TRow>(command, properties);
    }

    /// <summary><c>INSERT</c> of every column but store-generated ones, returning the store-generated key (<c>RETURNING</c>).</summary>
    public static RowCommand<TRow> InsertReturningKey(DbContext db, DbConnection connection)
    {
        var command = Build(db, connection, upsert: false);
        var (entity, table, sql) = Describe(db);
        var key = entity.FindPrimaryKey()!.Properties.Single();
        command._command.CommandText += $" RETURNING {sql.DelimitIdentifier(key.GetColumnName(table)!)}";
        return command;
    }

    /// <summary>Executes an <see cref="InsertReturningKey"/> statement for <paramref name="row"/>; returns the key.</summary>
    public async Task<long> ExecuteReturningKeyAsync(TRow row, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _getters.Length; i++) _command.Parameters[i].Value = ProviderValue(_converters[i], _getters[i].GetClrValue(row));
        return Convert.ToInt64(await _command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Adds this statement for <paramref name="row"/> to <paramref name="batch"/> (one round trip for many statements on
    /// PostgreSQL, <see cref="DbBatch"/>).
    /// </summary>
    public void AddTo(DbBatch batch, TRow row)
    {
        var command = NewBatchCommand(batch);
        for (var i = 0; i < _getters.Length; i++) command.Parameters[i].Value = ProviderValue(_converters[i], _getters[i].GetClrValue(row));
    }

    /// <summary>Adds a <see cref="DeleteWhere"/> statement for the key values <paramref name="values"/> (in column order) to <paramref name="batch"/>.</summary>
    public void AddTo(DbBatch batch, params object[] values)
    {
        var command = NewBatchCommand(batch);
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = ProviderValue(_converters[i], values[i]);
    }

    private DbBatchCommand NewBatchCommand(DbBatch batch)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = _command.CommandText;
        for (var i = 0; i < _command.Parameters.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = _command.Parameters[i].ParameterName;
            command.Parameters.Add(parameter);
        }
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Executes a <see cref="DeleteWhere"/> statement for the key values <paramref name="values"/> (in column order).</summary>
    public Task<int> ExecuteForValuesAsync(CancellationToken cancellationToken, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) _command.Parameters[i].Value = ProviderValue(_converters[i], values[i]);
        return _command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Binds the command to a transaction (or none).</summary>
    public DbTransaction? Transaction { set => _command.Transaction = value; }

    /// <summary>Executes the statement for <paramref name="row"/>.</summary>
    public Task<int> ExecuteAsync(TRow row, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _getters.Length; i++) _command.Parameters[i].Value = ProviderValue(_converters[i], _getters[i].GetClrValue(row));
        return _command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Executes a <see cref="DeleteWhere"/> statement for the key value <paramref name="value"/>.</summary>
    public Task<int> ExecuteForValueAsync(object value, CancellationToken cancellationToken)
    {
        _command.Parameters[0].Value = ProviderValue(_converters[0], value);
        return _command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object ProviderValue(ValueConverter? converter, object? value)
    {
        return (converter is null || value is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
    }

    private static RowCommand<TRow> Build(DbContext db, DbConnection connection, bool upsert, bool withGenerated = false)
    {
        var (entity, table, sql) = Describe(db);
        var properties = entity.GetProperties().Where(p => withGenerated || p.ValueGenerated != ValueGenerated.OnAdd).ToArray();
        string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName(table)!);
        var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", properties.Select(Column))}) " +
                   $"VALUES ({string.Join(", ", properties.Select((_, i) => "@p" + i))})";
        if (upsert)
        {
            var key = entity.FindPrimaryKey()!.Properties;
            var others = properties.Except(key).Select(Column).ToList();
            text += $" ON CONFLICT ({string.Join(", ", key.Select(Column))}) DO UPDATE SET {string.Join(", ", others.Select(c => $"{c} = excluded.{c}"))}";
        }
        var command = connection.CreateCommand();
        command.CommandText = text;
        return new RowCommand<TRow>(command, properties);
    }

    private static (IEntityType Entity, StoreObjectIdentifier Table, ISqlGenerationHelper Sql) Describe(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not in the model");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return (entity, table, db.GetService<ISqlGenerationHelper>());
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
