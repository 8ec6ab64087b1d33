using System.Data.Common;

namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// The relational read model in the same database as the grain state (SQLite or PostgreSQL).
/// Connections come from the silo's data source, which applies the per-connection settings;
/// the <see cref="SqlDialect"/> says how the few values whose storage differs are bound and read.
/// </summary>
public sealed class ReadModelDatabase(DbDataSource dataSource, SqlDialect dialect)
{
    public SqlDialect Dialect => dialect;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs the statements in order in one transaction: all of them take effect, or none.</summary>
    public async Task ExecuteAllAsync(IReadOnlyList<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> statements,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (sql, parameters) in statements)
        {
            await using var command = Command(connection, sql, parameters);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public static DbCommand Command(DbConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public object? Timestamp(DateTimeOffset? value) => dialect.Timestamp(value);

    public DateTimeOffset? ReadTimestamp(DbDataReader reader, int ordinal) => dialect.ReadTimestamp(reader, ordinal);
}
