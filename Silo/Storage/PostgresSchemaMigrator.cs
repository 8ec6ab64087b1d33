using Npgsql;

namespace TrackGrains.Silo.Storage;

/// <summary>
/// Brings a PostgreSQL database to the schema of the <c>sql/postgres/*.sql</c> scripts embedded in
/// this assembly, recording each applied version in <c>schema_versions</c>.
/// </summary>
/// <remarks>
/// Several silos may start at once on one database: the whole run holds a session advisory lock,
/// so one silo applies the scripts while the others wait, then find them applied. Each script runs
/// in one transaction with its version row (PostgreSQL's DDL is transactional), so a crash mid-script
/// leaves that version unapplied, not half applied.
/// </remarks>
public static class PostgresSchemaMigrator
{
    // An arbitrary constant that names "the TrackGrains schema" among advisory locks.
    private const long AdvisoryLockKey = 0x5472_6163_6B47_7261;

    public static IReadOnlyList<string> ScriptVersions => EmbeddedScripts.Postgres.Versions;

    /// <returns>The versions applied by this call; empty when the database was already current.</returns>
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(dataSource, cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey});", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_versions
                (
                    version    text        NOT NULL PRIMARY KEY,
                    applied_at timestamptz NOT NULL
                );
                """, cancellationToken);
            var applied = await ReadAppliedVersionsAsync(connection, cancellationToken);
            var appliedNow = new List<string>();
            foreach (var (version, script) in EmbeddedScripts.Postgres.All())
            {
                if (applied.Contains(version))
                {
                    continue;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await ExecuteAsync(connection, transaction, script, cancellationToken);
                }
                catch (PostgresException ex)
                {
                    throw new InvalidOperationException($"Schema script postgres/{version}.sql failed: {ex.MessageText}", ex);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_versions (version, applied_at) VALUES (@version, now());", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                appliedNow.Add(version);
            }
            return appliedNow;
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey});", CancellationToken.None);
        }
    }

    /// <summary>Opens a connection, turning the mistakes an operator makes first into one actionable line.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            throw new StorageUnavailableException(
                $"Storage:ConnectionString names a database that does not exist ({ex.MessageText}); create it first, e.g. createdb trackgrains.", ex);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new StorageUnavailableException(
                $"Storage:ConnectionString was refused by PostgreSQL ({ex.MessageText}); check Username and Password.", ex);
        }
        catch (NpgsqlException ex) when (ex.InnerException is System.Net.Sockets.SocketException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new StorageUnavailableException(
                $"Storage:ConnectionString: cannot reach PostgreSQL at {target.Host}:{target.Port} ({ex.InnerException!.Message}); start it or correct Host and Port.", ex);
        }
    }

    private static async Task<HashSet<string>> ReadAppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_versions;", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetString(0));
        }
        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
