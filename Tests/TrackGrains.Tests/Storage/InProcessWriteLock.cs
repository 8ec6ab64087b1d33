using Microsoft.Data.Sqlite;

namespace TrackGrains.Tests.Storage;

/// <summary>Holds the database's write lock on a separate connection of this process until disposed.</summary>
internal sealed class InProcessWriteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    public InProcessWriteLock(SqliteConnection connection)
    {
        _connection = connection;
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = _connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
        await _connection.DisposeAsync();
    }
}
