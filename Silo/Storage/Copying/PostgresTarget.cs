using Npgsql;

namespace TrackGrains.Silo.Storage.Copying;

/// <summary>
/// The PostgreSQL database a copy goes into: checked to hold no data, given this build's schema, then
/// filled inside one transaction that the caller commits only when every count matches.
/// </summary>
public sealed class PostgresTarget : IAsyncDisposable
{
    // The schema's own rows (the provider queries, the applied versions): present in any migrated database.
    private static readonly HashSet<string> SchemaTables = new(StringComparer.OrdinalIgnoreCase) { "OrleansQuery", "schema_versions" };

    private readonly NpgsqlDataSource _dataSource;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    private PostgresTarget(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>
    /// The connection string with its password masked, safe to print.
    /// </summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }
        return builder.ToString();
    }

    /// <summary>Checks that the database holds no data, applies this build's schema, and opens the copy's transaction.</summary>
    public static async Task<PostgresTarget> PrepareAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new PostgresTarget(NpgsqlDataSource.Create(connectionString));
        try
        {
            await target.RefuseIfItHoldsDataAsync(cancellationToken);
            await PostgresSchemaMigrator.ApplyAsync(target._dataSource, cancellationToken);
            await target.RefuseIfSchemaIsNewerAsync(cancellationToken);

            target._connection = await PostgresSchemaMigrator.OpenAsync(target._dataSource, cancellationToken);
            target._transaction = await target._connection.BeginTransactionAsync(cancellationToken);
            var tables = await target.TablesAsync(cancellationToken);
            // A server started on this database mid-copy waits for the commit instead of seeing half a copy.
            await target.ExecuteAsync($"LOCK TABLE {string.Join(", ", tables.Values.Select(t => Quote(t.Name)))} IN ACCESS EXCLUSIVE MODE;", cancellationToken);
            // Checked again under the lock: data written between the first check and the lock would mix with the copy.
            await target.RefuseIfItHoldsDataAsync(cancellationToken);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every table of the schema with its columns, by name (case-insensitive: PostgreSQL folds unquoted names).</summary>
    public async Task<IReadOnlyDictionary<string, TargetTable>> TablesAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT c.table_name, c.column_name, c.data_type, c.is_generated
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position;
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<(string Table, CatalogColumn Column)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add((reader.GetString(0), new CatalogColumn(reader.GetString(1), reader.GetString(2), reader.GetString(3) == "ALWAYS")));
        }
        return columns.GroupBy(c => c.Table)
            .ToDictionary(g => g.Key, g => new TargetTable(g.Key, g.Select(c => c.Column).ToArray()), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Streams rows into <paramref name="table"/> with binary COPY, inside the copy's transaction.</summary>
    /// <returns>How many rows were written.</returns>
    public async Task<long> ImportAsync(string table, IReadOnlyList<TargetColumn> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var copy = $"COPY {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await Connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (row[i] is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(row[i], columns[i].Type, cancellationToken);
                }
            }
        }
        return (long)await importer.CompleteAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT count(*) FROM {Quote(table)};");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Not committed by now means not wanted: disposing rolls the transaction back.
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        await _dataSource.DisposeAsync();
    }

    private NpgsqlConnection Connection => _connection ?? throw new InvalidOperationException("The target is not prepared.");

    private NpgsqlTransaction Transaction => _transaction ?? throw new InvalidOperationException("The target is not prepared.");

    private async Task RefuseIfItHoldsDataAsync(CancellationToken cancellationToken)
    {
        var ownConnection = _connection is null;
        var connection = _connection ?? await PostgresSchemaMigrator.OpenAsync(_dataSource, cancellationToken);
        try
        {
            var holding = new List<string>();
            foreach (var table in await TableNamesAsync(connection, cancellationToken))
            {
                // Membership rows count as data: they mean a cluster runs, or ran, on this database.
                if (SchemaTables.Contains(table))
                {
                    continue;
                }
                await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {Quote(table)});", connection, _transaction);
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                {
                    holding.Add(table);
                }
            }
            if (holding.Count > 0)
            {
                throw new CopyRefusedException(
                    $"the target database already holds data (in {string.Join(", ", holding)}); copy into an empty database, e.g. createdb trackgrains.");
            }
        }
        finally
        {
            if (ownConnection)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task RefuseIfSchemaIsNewerAsync(CancellationToken cancellationToken)
    {
        await using var connection = await PostgresSchemaMigrator.OpenAsync(_dataSource, cancellationToken);
        var unknown = (await StringsAsync(connection, "SELECT version FROM schema_versions ORDER BY 1;", cancellationToken))
            .Except(PostgresSchemaMigrator.ScriptVersions).ToList();
        if (unknown.Count > 0)
        {
            throw new CopyRefusedException(
                $"the target database has a newer schema than this build ({string.Join(", ", unknown)}); copy with the TrackGrains version that created it.");
        }
    }

    private static Task<List<string>> TableNamesAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        StringsAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1;",
            cancellationToken);

    /// <summary>The first column of every row <paramref name="sql"/> returns, as text.</summary>
    private static async Task<List<string>> StringsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
