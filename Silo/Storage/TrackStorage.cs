using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using TrackGrains.Grains;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Silo.Storage;

/// <summary>
/// The one database a deployment keeps everything in (grain state, reminders, membership, read model):
/// a SQLite file or a PostgreSQL database, behind the same Orleans ADO.NET providers. Everything that
/// differs between the two is decided here, once: the invariant, the data source, the schema scripts,
/// the read model's <see cref="SqlDialect"/>.
/// </summary>
public sealed class TrackStorage : IAsyncDisposable
{
    /// <summary>The ADO.NET invariant the Orleans providers map to <c>Npgsql.NpgsqlFactory</c>.</summary>
    public const string PostgresInvariant = "Npgsql";

    private readonly Func<CancellationToken, Task> _migrate;

    private TrackStorage(string invariant, DbDataSource dataSource, SqlDialect dialect, string dataFolder, Func<CancellationToken, Task> migrate)
    {
        Invariant = invariant;
        DataSource = dataSource;
        Dialect = dialect;
        DataFolder = dataFolder;
        _migrate = migrate;
    }

    /// <summary>The ADO.NET invariant for the Orleans providers.</summary>
    public string Invariant { get; }

    /// <summary>Opens configured connections (SQLite's PRAGMAs, Npgsql's pool).</summary>
    public DbDataSource DataSource { get; }

    public string ConnectionString => DataSource.ConnectionString;

    public SqlDialect Dialect { get; }

    /// <summary>The server's own files (admin token ...).</summary>
    public string DataFolder { get; }

    public bool IsPostgres => ReferenceEquals(Dialect, SqlDialect.Postgres);

    public static TrackStorage Sqlite(SqliteConnectionSource source, string? dataFolder = null) =>
        new(SqliteOrleansStorage.Invariant, source, SqlDialect.Sqlite,
            dataFolder ?? Path.GetDirectoryName(source.DatabasePath)!,
            cancellationToken => SqliteSchemaMigrator.ApplyAsync(source.ConnectionString, cancellationToken));

    /// <param name="connectionString">An Npgsql connection string; pool settings not given get this project's defaults.</param>
    public static TrackStorage Postgres(string connectionString, string dataFolder)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Measured (POSTGRES-NOTES): two silos held up to 87 connections at Npgsql's default pool of
        // 100, past PostgreSQL's default max_connections for three silos; 30 per process loses little.
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("Max Pool Size", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = 30;
        }
        // Measured: skipping DISCARD ALL on return to the pool gives a third more grain writes per second;
        // nothing here changes session state.
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }
        var dataSource = NpgsqlDataSource.Create(builder);
        return new TrackStorage(PostgresInvariant, dataSource, SqlDialect.Postgres, dataFolder,
            cancellationToken => PostgresSchemaMigrator.ApplyAsync(dataSource, cancellationToken));
    }

    /// <summary>
    /// Opens one connection, so that a database that cannot be used stops start-up with one line that says
    /// why (<see cref="StorageUnavailableException"/>) before Orleans starts and reports it as a stack trace.
    /// </summary>
    public void EnsureReachable()
    {
        if (DataSource is NpgsqlDataSource postgres)
        {
            using var connection = PostgresSchemaMigrator.OpenAsync(postgres).GetAwaiter().GetResult();
        }
    }

    /// <summary>Applies the provider's schema scripts not applied yet (safe from several processes at once).</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => _migrate(cancellationToken);

    /// <summary>
    /// Grain storage <see cref="GrainStorage.Name"/>, reminders and the schema migration at silo start,
    /// on this database; the storage itself is registered for the read-model stores.
    /// </summary>
    public ISiloBuilder AddTo(ISiloBuilder silo)
    {
        AddServices(silo.Services);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaMigrationParticipant(this));

        silo.AddAdoNetGrainStorage(GrainStorage.Name, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = Invariant;
            o.DataSource = DataSource;
            // Orleans' own binary format, keyed by [Alias] names, instead of the default
            // Newtonsoft JSON whose $type names break when a state type or assembly is renamed.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));

        silo.UseAdoNetReminderService(options => options.Configure(o =>
        {
            o.Invariant = Invariant;
            o.DataSource = DataSource;
        }));
        return silo;
    }

    /// <summary>The storage, its data source and its dialect as services (for the read model and health checks).</summary>
    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddSingleton(DataSource);
        services.AddSingleton(Dialect);
        if (DataSource is SqliteConnectionSource sqlite)
        {
            services.AddSingleton(sqlite);
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>
    /// Applies the schema when the silo starts, before any provider reads its queries from
    /// <c>OrleansQuery</c> (membership, reminders and grain storage all initialise at later stages).
    /// </summary>
    private sealed class SchemaMigrationParticipant(TrackStorage storage) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, storage.MigrateAsync);
    }
}
