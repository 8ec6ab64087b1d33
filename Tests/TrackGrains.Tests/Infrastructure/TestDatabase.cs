using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>
/// Where a test server keeps its data: a SQLite file or a PostgreSQL database. Tests look into it
/// through <see cref="DatabaseProbe"/> with SQL both accept (named @parameters).
/// </summary>
public sealed record TestDatabase(string? SqliteFile, string? PostgresConnectionString)
{
    public static TestDatabase Sqlite(string path) => new(path, null);

    public static TestDatabase Postgres(string connectionString) => new(null, connectionString);

    public bool IsPostgres => PostgresConnectionString is not null;

    /// <summary>The settings that point a server at this database.</summary>
    public Dictionary<string, string?> Settings(string dataFolder) => IsPostgres
        ? new()
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = PostgresConnectionString,
            ["Storage:DataFolder"] = dataFolder,
        }
        : new() { ["Storage:Database"] = SqliteFile };

    /// <summary>A new connection of the test's own, never one of the server's pool.</summary>
    public async Task<DbConnection> OpenAsync(bool readOnly = true)
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(PostgresConnectionString + ";Pooling=false")
            : new SqliteConnection($"Data Source={SqliteFile};Mode={(readOnly ? "ReadOnly" : "ReadWrite")};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }
}
