using Microsoft.Data.Sqlite;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>Read-only looks into a test server's SQLite file, for claims about what is stored.</summary>
public static class DatabaseProbe
{
    public static async Task<long> CountAsync(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<Dictionary<string, object?>?> RowAsync(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    public static async Task WaitForCountAsync(string databasePath, string sql, long expected, TimeSpan timeout, params (string Name, object Value)[] parameters)
    {
        var deadline = DateTime.UtcNow + timeout;
        long last;
        while ((last = await CountAsync(databasePath, sql, parameters)) != expected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {expected} from '{sql}', still {last} after {timeout}.");
            }
            await Task.Delay(100);
        }
    }
}
