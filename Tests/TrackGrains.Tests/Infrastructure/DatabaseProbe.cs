using Microsoft.Data.Sqlite;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>Read-only looks into a test server's SQLite file, for claims about what is stored.</summary>
public static class DatabaseProbe
{
    public static async Task<long> CountAsync(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(databasePath);
        await using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<Dictionary<string, object?>?> RowAsync(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(databasePath);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> ColumnAsync(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(databasePath);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
        return values;
    }

    public static async Task WaitForCountAsync(string databasePath, string sql, long expected, TimeSpan timeout, params (string Name, object Value)[] parameters)
    {
        long last = -1;
        await TrackPolling.WaitUntilAsync(async () => (last = await CountAsync(databasePath, sql, parameters)) == expected, timeout,
            () => $"Expected {expected} from '{sql}', still {last}.");
    }

    private static async Task<SqliteConnection> OpenAsync(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
