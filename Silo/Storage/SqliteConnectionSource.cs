using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TrackGrains.Silo.Storage;

/// <summary>
/// Opens pooled connections to one SQLite file, each configured for a file that many writers
/// share (the Orleans ADO.NET providers, the read-model projections, other silos).
/// </summary>
/// <remarks>
/// The Orleans ADO.NET providers open every connection through
/// <see cref="DbDataSource.OpenConnectionAsync(CancellationToken)"/> when their options carry a
/// <c>DataSource</c>, and call <see cref="DbDataSource.CreateConnection"/> only to check that the
/// connection type matches the invariant. This class is therefore the one place that can set the
/// per-connection PRAGMAs for connections the providers open themselves.
/// Connections from <see cref="DbDataSource.CreateConnection"/> are not configured until opened
/// through this source: open them with <see cref="DbDataSource.OpenConnection"/> or
/// <see cref="OpenSqliteConnectionAsync"/> instead.
/// </remarks>
public sealed class SqliteConnectionSource : DbDataSource
{
    /// <summary>How long SQLite itself waits for another connection's lock before failing.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Microsoft.Data.Sqlite keeps retrying a busy statement until the command timeout. It must
    /// stay well below Orleans' 30 s response timeout: otherwise a caller gives up while the
    /// write still commits later, and the grain's thread stays blocked meanwhile.
    /// </summary>
    public static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(10);

    private readonly string _configureSql;
    private long _abandonedTransactionsRolledBack;

    /// <param name="databasePath">The SQLite file; relative paths are resolved now, against the current directory.</param>
    /// <param name="busyTimeout">SQLite's <c>PRAGMA busy_timeout</c>; <see cref="DefaultBusyTimeout"/> when null.</param>
    /// <param name="commandTimeout">Command timeout, whole seconds (rounded up); <see cref="DefaultCommandTimeout"/> when null.</param>
    public SqliteConnectionSource(string databasePath, TimeSpan? busyTimeout = null, TimeSpan? commandTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var busy = busyTimeout ?? DefaultBusyTimeout;
        var command = commandTimeout ?? DefaultCommandTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(busy, TimeSpan.Zero, nameof(busyTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(command, TimeSpan.Zero, nameof(commandTimeout));

        DatabasePath = Path.GetFullPath(databasePath);
        BusyTimeout = busy;
        CommandTimeout = command;
        ConnectionString = BuildConnectionString(DatabasePath, command);
        _configureSql = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout={(long)busy.TotalMilliseconds}; PRAGMA synchronous=NORMAL;");
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The <c>PRAGMA busy_timeout</c> every opened connection gets.</summary>
    public TimeSpan BusyTimeout { get; }

    /// <summary>The command timeout (the connection string's <c>Default Timeout</c>).</summary>
    public TimeSpan CommandTimeout { get; }

    /// <inheritdoc />
    public override string ConnectionString { get; }

    /// <summary>
    /// How many connections came back from the pool inside a transaction that a failed command
    /// left open, and were rolled back before use. Non-zero means some SQL fails after BEGIN.
    /// </summary>
    public long AbandonedTransactionsRolledBack => Interlocked.Read(ref _abandonedTransactionsRolledBack);

    /// <summary>
    /// The connection string this source uses for <paramref name="databasePath"/>: pooled, private
    /// cache, created if missing. <c>Default Timeout</c> is the command timeout, not SQLite's busy
    /// timeout (that one is a PRAGMA, set per connection when opened through this source).
    /// </summary>
    public static string BuildConnectionString(string databasePath, TimeSpan? commandTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var timeout = commandTimeout ?? DefaultCommandTimeout;
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(databasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Shared cache serialises connections on table locks and does not mix well with WAL.
            Cache = SqliteCacheMode.Private,
            // Measured: pooling with WAL more than doubles write throughput over Pooling=False.
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>Opens and configures a connection, typed for Microsoft.Data.Sqlite callers.</summary>
    public SqliteConnection OpenSqliteConnection() => (SqliteConnection)OpenDbConnection();

    /// <summary>Opens and configures a connection, typed for Microsoft.Data.Sqlite callers.</summary>
    public async ValueTask<SqliteConnection> OpenSqliteConnectionAsync(CancellationToken cancellationToken = default) =>
        (SqliteConnection)await OpenDbConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    /// <inheritdoc />
    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            Configure(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        // Microsoft.Data.Sqlite opens synchronously whichever API is called; a state machine
        // here would only add an allocation per open.
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(OpenDbConnection());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Idle pooled connections keep the file (and its -wal/-shm files) open.
            using var connection = new SqliteConnection(ConnectionString);
            SqliteConnection.ClearPool(connection);
        }

        base.Dispose(disposing);
    }

    private void Configure(SqliteConnection connection)
    {
        // A multi-statement command that failed between its own BEGIN and COMMIT returns its
        // connection to the pool still inside that transaction; every later BEGIN on it would
        // fail ("cannot start a transaction within a transaction") until the process restarts.
        if (raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            Interlocked.Increment(ref _abandonedTransactionsRolledBack);
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        // busy_timeout and synchronous are per connection, not stored in the file, and a pooled
        // connection may have been opened by code that did not set them: set them on every open.
        using var command = connection.CreateCommand();
        command.CommandText = _configureSql;
        command.ExecuteNonQuery();
    }
}
