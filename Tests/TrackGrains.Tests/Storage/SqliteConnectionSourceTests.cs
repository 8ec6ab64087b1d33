using Microsoft.Data.Sqlite;
using SQLitePCL;
using TrackGrains.Silo.Storage;

namespace TrackGrains.Tests.Storage;

[Collection(StorageTestCollection.Name)]
public sealed class SqliteConnectionSourceTests : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task Opened_connections_carry_the_busy_timeout_and_synchronous_NORMAL()
    {
        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_database.DatabasePath));
        using var source = new SqliteConnectionSource(_database.DatabasePath, busyTimeout: TimeSpan.FromMilliseconds(1234));

        // The Orleans providers open through DbDataSource.OpenConnectionAsync.
        await using var connection = await source.OpenConnectionAsync();

        Assert.IsType<SqliteConnection>(connection);
        Assert.Equal(1234L, Scalar(connection, "PRAGMA busy_timeout;"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA synchronous;")); // 1 = NORMAL
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(10, ((SqliteConnection)connection).DefaultTimeout);
    }

    [Fact]
    public void A_transaction_left_open_on_a_pooled_connection_is_rolled_back_on_the_next_open()
    {
        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(_database.DatabasePath));
        using var source = new SqliteConnectionSource(_database.DatabasePath);

        // What a multi-statement command does when it fails between its BEGIN and COMMIT.
        using (var poisoned = source.OpenSqliteConnection())
        {
            Execute(poisoned, "BEGIN; INSERT INTO usage_stats (day) VALUES ('2026-03-01');");
            Assert.Equal(0, raw.sqlite3_get_autocommit(poisoned.Handle));
        }

        // A plain open on the same pool gets that connection back still inside the transaction:
        // the trap this source exists to defuse.
        using (var plain = new SqliteConnection(source.ConnectionString))
        {
            plain.Open();
            Assert.Equal(0, raw.sqlite3_get_autocommit(plain.Handle));
        }

        using (var healed = source.OpenSqliteConnection())
        {
            Assert.Equal(1, raw.sqlite3_get_autocommit(healed.Handle));
            Execute(healed, "BEGIN IMMEDIATE; INSERT INTO usage_stats (day) VALUES ('2026-03-02'); COMMIT;");
        }

        Assert.Equal(1, source.AbandonedTransactionsRolledBack);
        Assert.Equal(["2026-03-02"], _database.Rows("SELECT day FROM usage_stats;"));
    }

    [Fact]
    public void The_connection_string_is_pooled_absolute_and_keeps_the_command_timeout()
    {
        var builder = new SqliteConnectionStringBuilder(
            SqliteConnectionSource.BuildConnectionString("relative/tracks.db", TimeSpan.FromMilliseconds(1500)));

        Assert.True(Path.IsPathFullyQualified(builder.DataSource));
        Assert.True(builder.Pooling);
        Assert.Equal(2, builder.DefaultTimeout);
    }

    private static object? Scalar(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _database.Dispose();
}
