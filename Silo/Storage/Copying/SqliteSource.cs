using Microsoft.Data.Sqlite;

namespace TrackGrains.Silo.Storage.Copying;

/// <summary>
/// A stopped server's SQLite file, opened for copying: checked to be a TrackGrains database of this
/// build's schema, and held under an exclusive lock for as long as the copy reads it, so no server can
/// start on it and write meanwhile.
/// </summary>
/// <remarks>
/// "In use" is decided by the lock, not by the files next to the database: every open connection of a
/// running server (its pooled ones stay open while idle) holds a shared lock that an exclusive lock
/// cannot get past. A non-empty <c>-wal</c> file with no process holding it is what a killed server
/// leaves: committed transactions SQLite replays on open, so it is read, not refused.
/// </remarks>
public sealed class SqliteSource : IDisposable
{
    /// <summary>Tables that are not the server's data: the provider queries and schema versions are
    /// written by the target's own migrator; membership rows belong to the cluster that wrote them.</summary>
    public static readonly IReadOnlySet<string> NotCopied = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "OrleansQuery", "schema_versions", "OrleansMembershipTable", "OrleansMembershipVersionTable",
    };

    // Long enough to ride out a connection that is just closing, far too short to wait for a server.
    // Both SQLite's busy timeout and Microsoft.Data.Sqlite's own retrying of a busy statement (which
    // lasts the command timeout, 30 s by default) are held to it.
    private const int LockWaitSeconds = 1;

    private readonly SqliteConnection _connection;

    private SqliteSource(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Opens <paramref name="path"/> and locks it. A file on an older schema is brought up to this build's
    /// first, by the same migrator a server of this build would run on it at start.
    /// </summary>
    /// <returns>The source, and the schema versions applied to it now (empty when it was current).</returns>
    public static (SqliteSource Source, IReadOnlyList<string> Upgraded) Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new CopyRefusedException($"the source file {path} does not exist; pass the server's SQLite file (Storage:Database, e.g. data/tracks.db).");
        }
        var source = Lock(path);
        try
        {
            var missing = source.CheckSchema();
            if (missing.Count == 0)
            {
                return (source, []);
            }
            // The migrator opens its own connection, which our exclusive lock would block.
            source.Dispose();
            var applied = SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(path));
            source = Lock(path);
            source.CheckSchema();
            return (source, applied);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>The tables to copy with their columns (generated ones left out: the target computes its own).</summary>
    public IReadOnlyList<SourceTable> Tables()
    {
        var names = Strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;");
        return names.Where(n => !NotCopied.Contains(n)).Select(n => new SourceTable(n, Columns(n))).ToArray();
    }

    public long Count(string table)
    {
        using var command = Command($"SELECT count(*) FROM {Quote(table)};");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The ServiceIds grain state and reminders are stored under.</summary>
    public IReadOnlyList<string> ServiceIds() =>
        Strings("SELECT ServiceId FROM OrleansStorage UNION SELECT ServiceId FROM OrleansRemindersTable ORDER BY 1;");

    /// <summary>Reads every row of <paramref name="table"/>, columns in the order given, as SQLite stores them
    /// (long, double, string, byte[] or <see cref="DBNull"/>).</summary>
    public SqliteDataReader Read(string table, IReadOnlyList<string> columns)
    {
        var command = Command($"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)};");
        return command.ExecuteReader(System.Data.CommandBehavior.SequentialAccess);
    }

    public void Dispose()
    {
        // Nothing was written: the rollback just ends the read and releases the lock.
        if (_connection.State == System.Data.ConnectionState.Open)
        {
            try
            {
                using var rollback = Command("ROLLBACK;");
                rollback.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // No transaction was open.
            }
        }
        _connection.Dispose();
    }

    private static SqliteSource Lock(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        var source = new SqliteSource(connection, path);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout={LockWaitSeconds * 1000};");
            // Exclusive locking mode keeps the lock after the transaction until the connection closes;
            // BEGIN EXCLUSIVE takes it now, past every other connection's shared lock or none at all.
            Execute(connection, "PRAGMA locking_mode=EXCLUSIVE;");
            Execute(connection, "BEGIN EXCLUSIVE;", LockWaitSeconds);
            return source;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
        {
            source.Dispose();
            throw new CopyRefusedException($"the source file {path} is in use (another process holds it open); stop the server first, then copy.");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SQLitePCL.raw.SQLITE_NOTADB)
        {
            source.Dispose();
            throw new CopyRefusedException($"the source file {path} is not a SQLite database.");
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <returns>This build's schema versions the file does not have yet.</returns>
    private IReadOnlyList<string> CheckSchema()
    {
        var tables = Strings("SELECT name FROM sqlite_master WHERE type = 'table';").ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!tables.Contains("schema_versions") || !tables.Contains("OrleansStorage"))
        {
            throw new CopyRefusedException($"the source file {Path} is not a TrackGrains database (it has no schema_versions and OrleansStorage tables).");
        }
        var applied = Strings("SELECT version FROM schema_versions;").ToHashSet(StringComparer.Ordinal);
        var known = SqliteSchemaMigrator.ScriptVersions;
        var unknown = applied.Except(known).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new CopyRefusedException(
                $"the source file {Path} has a newer schema than this build ({string.Join(", ", unknown)}); copy it with the TrackGrains version that wrote it.");
        }
        return known.Where(v => !applied.Contains(v)).ToArray();
    }

    /// <summary>The first column of every row <paramref name="sql"/> returns, as text.</summary>
    private List<string> Strings(string sql)
    {
        using var command = Command(sql);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private IReadOnlyList<string> Columns(string table)
    {
        // table_xinfo lists generated columns too (hidden 2 = virtual, 3 = stored); table_info's
        // handling of them has changed between SQLite versions, so filter explicitly.
        using var command = Command($"PRAGMA table_xinfo({Quote(table)});");
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            if (reader.GetInt64(reader.GetOrdinal("hidden")) == 0)
            {
                columns.Add(reader.GetString(reader.GetOrdinal("name")));
            }
        }
        return columns;
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, int? timeoutSeconds = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds ?? command.CommandTimeout;
        command.ExecuteNonQuery();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
