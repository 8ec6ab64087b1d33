using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TrackGrains.Silo.Storage;

/// <summary>
/// Brings a SQLite file to the schema of the <c>sql/sqlite/*.sql</c> scripts embedded in this assembly.
/// </summary>
/// <remarks>
/// Scripts run in ordinal file-name order, each in its own transaction together with its row in
/// <c>schema_versions</c>, so a crash mid-script leaves that version unapplied rather than half
/// applied. A version is the file name without <c>.sql</c> (e.g. <c>0002_orleans_persistence</c>).
/// Safe to run from several processes starting at once on the same file: each script is applied
/// under the write lock after re-checking that nobody applied it meanwhile.
/// </remarks>
public static class SqliteSchemaMigrator
{
    // Long enough to wait for another process's migration; a migration is short.
    private const int MigrationBusyTimeoutMilliseconds = 30_000;

    /// <summary>The versions embedded in this build, in the order they are applied.</summary>
    public static IReadOnlyList<string> ScriptVersions => EmbeddedScripts.Sqlite.Versions;

    /// <summary>
    /// Applies every embedded script not yet recorded in <c>schema_versions</c>, and switches the
    /// file to WAL if it is not already. Creates the database file and its folder if missing.
    /// </summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. from
    /// <see cref="SqliteConnectionSource.BuildConnectionString"/>.</param>
    /// <returns>The versions applied by this call; empty when the file was already current.</returns>
    public static IReadOnlyList<string> Apply(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // The migration connection is used once; do not leave it idle in the pool.
            Pooling = false,
        };
        EnsureFolder(builder);

        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout={MigrationBusyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)};");
        EnsureWal(connection, builder);
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_versions
            (
                version    TEXT NOT NULL PRIMARY KEY,
                applied_at TEXT NOT NULL
            );
            """);

        var applied = ReadAppliedVersions(connection, transaction: null);
        var appliedNow = new List<string>();
        foreach (var (version, script) in EmbeddedScripts.Sqlite.All())
        {
            if (applied.Contains(version))
            {
                continue;
            }

            // IMMEDIATE: take the write lock before re-checking, so two processes cannot both
            // decide to apply the same script.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (ReadAppliedVersions(connection, transaction).Contains(version))
            {
                transaction.Rollback();
                continue;
            }

            try
            {
                Execute(connection, script, transaction);
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException($"Schema script {version}.sql failed: {ex.Message}", ex);
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_versions (version, applied_at) VALUES ($version, $appliedAt);";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$appliedAt", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
            appliedNow.Add(version);
        }

        return appliedNow;
    }

    /// <summary>Asynchronous form of <see cref="Apply"/>; the work runs on the thread pool
    /// because Microsoft.Data.Sqlite has no truly asynchronous I/O.</summary>
    public static Task<IReadOnlyList<string>> ApplyAsync(string connectionString, CancellationToken cancellationToken = default) =>
        Task.Run(() => Apply(connectionString), cancellationToken);

    /// <summary>The text of one embedded script, by version (for tests and diagnostics).</summary>
    internal static string GetScriptText(string version) => EmbeddedScripts.Sqlite.Text(version);

    private static void EnsureFolder(SqliteConnectionStringBuilder builder)
    {
        if (IsInMemory(builder))
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private static void EnsureWal(SqliteConnection connection, SqliteConnectionStringBuilder builder)
    {
        if (IsInMemory(builder))
        {
            return;
        }

        // WAL is a property of the file: set once, it holds for every later connection.
        // Reading first keeps a start on a current file free of any write.
        if (string.Equals(Scalar(connection, "PRAGMA journal_mode;"), "wal", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var mode = Scalar(connection, "PRAGMA journal_mode=WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            // Without WAL, concurrent grain writes time out under load (measured: most of 10,000).
            throw new InvalidOperationException(
                $"Could not switch '{builder.DataSource}' to WAL journal mode (it reports '{mode}'). " +
                "Put the database on a local file system that supports shared memory.");
        }
    }

    private static bool IsInMemory(SqliteConnectionStringBuilder builder) =>
        builder.Mode == SqliteOpenMode.Memory
        || string.IsNullOrEmpty(builder.DataSource)
        || string.Equals(builder.DataSource, ":memory:", StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> ReadAppliedVersions(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_versions;";
        using var reader = command.ExecuteReader();
        var versions = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            versions.Add(reader.GetString(0));
        }

        return versions;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
