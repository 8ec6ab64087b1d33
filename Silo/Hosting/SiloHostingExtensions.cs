using System.Data.Common;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TrackGrains.Grains.Hosting;
using TrackGrains.Silo.Storage;

namespace TrackGrains.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Hosts the TrackGrains silo in this process: grains, SQLite grain storage, reminders and read model
    /// on the file named by Storage:Database, and the configured keys imported at start-up.
    /// </summary>
    public static IHostApplicationBuilder UseTrackSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configure = null)
    {
        var (cluster, connections) = AddSharedServices(builder);

        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (string.Equals(cluster.Clustering, "sqlite", StringComparison.OrdinalIgnoreCase))
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = SqliteOrleansStorage.Invariant;
                    o.ConnectionString = connections.ConnectionString;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, cluster.SiloPort, cluster.GatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }
            silo.UseTrackSqliteStorage(connections);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = cluster.MinimumReminderPeriod);
            // A fetch may wait for a permit and retry a slow upstream; the default 30 s would cut it short.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(2));
            silo.AddStartupTask<ImportConfiguredKeys>();
            configure?.Invoke(silo);
        });
        return builder;
    }

    /// <summary>
    /// Joins the silos of a SQLite-clustered deployment as an Orleans client: grain calls go to the silos,
    /// while the read model (listings, statistics) is read from the same database file.
    /// </summary>
    public static IHostApplicationBuilder UseTrackClient(this IHostApplicationBuilder builder, Action<IClientBuilder>? configure = null)
    {
        var (cluster, connections) = AddSharedServices(builder);
        // The client reads the membership table before any silo may have created it.
        SqliteSchemaMigrator.Apply(connections.ConnectionString);

        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = SqliteOrleansStorage.Invariant;
                o.ConnectionString = connections.ConnectionString;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(2));
            configure?.Invoke(client);
        });
        return builder;
    }

    private static (ClusterOptions Cluster, SqliteConnectionSource Connections) AddSharedServices(IHostApplicationBuilder builder)
    {
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var connections = new SqliteConnectionSource(ResolveDatabasePath(builder, storage), storage.BusyTimeout);

        // A start-up failure is reported once, as one line, by StartupErrors; the host's own report is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.AddTrackGrainServices();
        builder.Services.AddSingleton<DbDataSource>(connections);
        return (cluster, connections);
    }

    public static string ResolveDatabasePath(IHostApplicationBuilder builder, StorageOptions storage)
    {
        if (string.IsNullOrWhiteSpace(storage.Database))
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                ["Storage:Database is empty: set it to the SQLite file to use, e.g. data/tracks.db."]);
        }
        // Relative to the content root, so the file does not move with the shell the server was started from.
        var path = Path.GetFullPath(storage.Database, builder.Environment.ContentRootPath);
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"Storage:Database: cannot create the folder '{folder}' ({ex.Message}); point it at a writable path."]);
        }
        return path;
    }
}
