namespace TrackGrains.WebGateway.Backups;

/// <summary>
/// The raw Storage:Provider value, read where a backup is asked for: a SQLite snapshot means nothing for a
/// PostgreSQL deployment, which has its own tool.
/// </summary>
public static class StorageProviderSetting
{
    public const string Key = "Storage:Provider";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static string Read(IConfiguration configuration) =>
        configuration[Key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : Sqlite;

    public static bool IsSqlite(string provider) => string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase);

    public static bool IsPostgres(string provider) => string.Equals(provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
