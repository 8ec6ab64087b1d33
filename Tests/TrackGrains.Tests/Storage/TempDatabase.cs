using Microsoft.Data.Sqlite;

namespace TrackGrains.Tests.Storage;

/// <summary>A database path in a fresh temporary folder (not created yet), removed on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase(string fileName = "tracks.db")
    {
        Root = Path.Combine(Path.GetTempPath(), "trackgrains-tests", Guid.NewGuid().ToString("N"));
        // A nested, missing folder: the migrator is expected to create it.
        DatabasePath = Path.Combine(Root, "data", fileName);
    }

    public string Root { get; }

    public string DatabasePath { get; }

    /// <summary>An unpooled connection for inspecting the file, so it never joins a pool under test.</summary>
    public SqliteConnection OpenInspector()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public T Scalar<T>(string sql)
    {
        using var connection = OpenInspector();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public List<string> Rows(string sql)
    {
        using var connection = OpenInspector();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(string.Join(" | ", values.Select(v => v is DBNull ? "NULL" : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
