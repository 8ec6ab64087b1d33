namespace TrackGrains.Silo.Storage;

/// <summary>
/// Orleans grain storage and reminders on one SQLite file, through the Orleans ADO.NET providers.
/// </summary>
public static class SqliteOrleansStorage
{
    /// <summary>
    /// The ADO.NET invariant the Orleans providers map to <c>Microsoft.Data.Sqlite.SqliteFactory</c>
    /// (the name is historical: System.Data.SQLite itself is not used).
    /// </summary>
    public const string Invariant = "System.Data.SQLite";

    /// <summary>
    /// Grain storage and reminders on the SQLite file at <paramref name="databasePath"/>, with default
    /// timeouts. The schema is applied when the silo starts.
    /// </summary>
    public static ISiloBuilder UseTrackSqliteStorage(this ISiloBuilder builder, string databasePath) =>
        builder.UseTrackSqliteStorage(new SqliteConnectionSource(databasePath));

    /// <summary>As above, with a caller-built connection source (other timeouts).</summary>
    public static ISiloBuilder UseTrackSqliteStorage(this ISiloBuilder builder, SqliteConnectionSource connectionSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionSource);
        return TrackStorage.Sqlite(connectionSource).AddTo(builder);
    }
}
