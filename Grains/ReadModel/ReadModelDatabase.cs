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

    /// <summary>
    /// Runs a query over a list of track ids, <see cref="IdsPerQuery"/> at a time: <paramref name="sql"/> names
    /// the list as <c>{ids}</c> (e.g. <c>WHERE spotify_id IN ({ids})</c>), and each row goes to <paramref name="read"/>.
    /// </summary>
    public async Task ReadByIdsAsync(string sql, IReadOnlyList<string> ids, Action<DbDataReader> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var chunk in ids.Chunk(IdsPerQuery))
        {
            var names = chunk.Select((_, i) => "@id" + i).ToArray();
            await using var command = Command(connection, sql.Replace("{ids}", string.Join(",", names), StringComparison.Ordinal),
                chunk.Select((id, i) => (names[i], (object?)id)).ToList());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read(reader);
            }
        }
    }

    // Well under both databases' limits on bound parameters (SQLite's default is 32,766).
    private const int IdsPerQuery = 500;

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
