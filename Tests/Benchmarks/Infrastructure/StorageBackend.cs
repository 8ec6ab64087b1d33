using TrackGrains.Testing;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// The database a stage's gateway stores into: a fresh SQLite file in the stage's folder (the
/// default settings), or a fresh database on the run's throwaway PostgreSQL server.
/// </summary>
public sealed class StorageBackend
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private readonly PostgresServer? _server;

    private StorageBackend(string name, PostgresServer? server)
    {
        Name = name;
        _server = server;
    }

    public string Name { get; }

    public static StorageBackend ForSqlite() => new(Sqlite, null);

    /// <param name="server">Started with <c>durable: true</c>, so commits are fsynced as an operator would run it.</param>
    public static StorageBackend ForPostgres(PostgresServer server) => new(Postgres, server);

    /// <summary>The gateway settings for one stage, and the PostgreSQL connection string when there is one.</summary>
    public async Task<(Dictionary<string, string?> Settings, string? ConnectionString)> SettingsAsync(string stageFolder)
    {
        if (_server is null)
        {
            return ([], null);
        }
        var connectionString = await _server.CreateDatabaseAsync();
        return (new Dictionary<string, string?>
        {
            ["Storage:Provider"] = Postgres,
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:DataFolder"] = Path.Combine(stageFolder, "data"),
        }, connectionString);
    }
}
