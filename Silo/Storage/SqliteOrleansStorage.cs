using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using TrackGrains.Grains;

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
    /// Grain storage <see cref="GrainStorage.Name"/> and the reminder table on the SQLite file
    /// at <paramref name="databasePath"/>, with default timeouts. The schema is applied when the
    /// silo starts.
    /// </summary>
    public static ISiloBuilder UseTrackSqliteStorage(this ISiloBuilder builder, string databasePath) =>
        builder.UseTrackSqliteStorage(new SqliteConnectionSource(databasePath));

    /// <summary>
    /// As <see cref="UseTrackSqliteStorage(ISiloBuilder, string)"/>, with a caller-built connection
    /// source (other timeouts). The source is also registered as a singleton, for code that writes
    /// the read model to the same file.
    /// </summary>
    public static ISiloBuilder UseTrackSqliteStorage(this ISiloBuilder builder, SqliteConnectionSource connectionSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionSource);

        builder.Services.AddSingleton(connectionSource);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            new SqliteSchemaMigrationParticipant(connectionSource.ConnectionString));

        builder.AddAdoNetGrainStorage(GrainStorage.Name, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = Invariant;
            o.DataSource = connectionSource;
            // Orleans' own binary format, keyed by [Alias] names, instead of the default
            // Newtonsoft JSON whose $type names break when a state type or assembly is renamed.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));

        builder.UseAdoNetReminderService(options => options.Configure(o =>
        {
            o.Invariant = Invariant;
            o.DataSource = connectionSource;
        }));

        return builder;
    }
}
