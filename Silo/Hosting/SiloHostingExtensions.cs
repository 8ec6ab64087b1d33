using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TrackGrains.Grains.Hosting;
using TrackGrains.Grains.Options;
using TrackGrains.Silo.Storage;

namespace TrackGrains.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Hosts the TrackGrains silo in this process: grains, grain storage, reminders and read model on the
    /// database of Storage:Provider, membership as Cluster:Clustering says, configured keys imported at start-up.
    /// </summary>
    public static IHostApplicationBuilder UseTrackSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configure = null)
    {
        var (cluster, storage) = AddSharedServices(builder);
        AddKeyRing(builder, storage);

        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (cluster.UsesMembershipTable)
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = storage.Invariant;
                    o.ConnectionString = storage.ConnectionString;
                });
                var advertised = ClusterSettings.AdvertisedAddress(cluster);
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = advertised;
                    o.SiloPort = cluster.SiloPort;
                    o.GatewayPort = cluster.GatewayPort;
                    var listen = ClusterSettings.ListenAddress(cluster) ?? advertised;
                    o.SiloListeningEndpoint = new IPEndPoint(listen, cluster.SiloPort);
                    o.GatewayListeningEndpoint = cluster.GatewayPort > 0 ? new IPEndPoint(listen, cluster.GatewayPort) : null;
                });
                silo.Configure<ClusterMembershipOptions>(ClusterSettings.TuneFailureDetection);
                // The default directory is eventually consistent: when a silo dies, the entries it held are
                // lost and a grain can briefly get a second activation elsewhere. For a key's grain that
                // would be two accountants granting the same quota; for a track, a second paid call. The
                // distributed directory hands a dead silo's range over by asking the survivors first.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10; the one in-box directory without that window.
                silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }
            storage.AddTo(silo);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = cluster.MinimumReminderPeriod);
            // A fetch may wait for a permit and retry a slow upstream; the default 30 s would cut it short.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(2));
            if (cluster.GrainCollectionAge is { } collectionAge)
            {
                silo.Configure<GrainCollectionOptions>(o =>
                {
                    o.CollectionAge = collectionAge;
                    // The collector runs once a quantum (1 min by default): a shorter age needs a shorter quantum to take effect.
                    o.CollectionQuantum = TimeSpan.FromTicks(Math.Min(o.CollectionQuantum.Ticks, collectionAge.Ticks / 2));
                });
            }
            silo.AddStartupTask<ImportConfiguredKeys>();
            silo.AddStartupTask<BackfillSearchColumns>();
            configure?.Invoke(silo);
        });
        return builder;
    }

    /// <summary>
    /// Joins the silos of a clustered deployment (Cluster:Clustering=sqlite or postgres) as an Orleans
    /// client: grain calls go to the silos, while the read model (listings, statistics) is read from the
    /// same database.
    /// </summary>
    public static IHostApplicationBuilder UseTrackClient(this IHostApplicationBuilder builder, Action<IClientBuilder>? configure = null)
    {
        var (cluster, storage) = AddSharedServices(builder);
        storage.AddServices(builder.Services);
        // The client reads the membership table before any silo may have created it.
        storage.MigrateAsync().GetAwaiter().GetResult();

        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = storage.Invariant;
                o.ConnectionString = storage.ConnectionString;
            });
            // A call running on a silo that dies is never answered, and an Orleans client is not told of the
            // death: it waits out the response timeout. So wait no longer than the longest legitimate call.
            var soundCharts = builder.Configuration.GetSection(SoundChartsOptions.Section).Get<SoundChartsOptions>() ?? new SoundChartsOptions();
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = soundCharts.LongestTrackRequest + TimeSpan.FromSeconds(5));
            // Find a silo that joined or left within seconds, not the default minute.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            configure?.Invoke(client);
        });
        return builder;
    }

    private static (ClusterOptions Cluster, TrackStorage Storage) AddSharedServices(IHostApplicationBuilder builder)
    {
        var (storageOptions, cluster) = ClusterSettings.Read(builder.Configuration);
        var storage = CreateStorage(builder, storageOptions);
        storage.EnsureReachable();

        // A start-up failure is reported once, as one line, by StartupErrors; the host's own report is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.AddTrackGrainServices();
        return (cluster, storage);
    }

    /// <summary>The database Storage:Provider names, with paths resolved against the content root.</summary>
    public static TrackStorage CreateStorage(IHostApplicationBuilder builder, StorageOptions storage)
    {
        if (storage.IsPostgres)
        {
            var dataFolder = ResolveFolder(builder, storage.DataFolder ?? "data", "Storage:DataFolder");
            return TrackStorage.Postgres(storage.ConnectionString!, dataFolder);
        }
        var path = ResolveDatabasePath(builder, storage);
        try
        {
            PrivateFiles.PrepareDatabaseFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"Storage:Database: cannot create or restrict '{path}' ({ex.Message}); point it at a file this user can write."]);
        }
        var dataFolderOverride = storage.DataFolder is null ? null : ResolveFolder(builder, storage.DataFolder, "Storage:DataFolder");
        return TrackStorage.Sqlite(new SqliteConnectionSource(path, storage.BusyTimeout), dataFolderOverride);
    }

    /// <summary>
    /// Key secrets are stored encrypted with Data Protection; its key ring goes to Secrets:KeyRingPath, or the data
    /// folder's <c>keyring</c>, with one application name, so every silo sharing the folder reads every secret.
    /// </summary>
    private static void AddKeyRing(IHostApplicationBuilder builder, TrackStorage storage)
    {
        var configured = builder.Configuration[$"{SecretsOptions.Section}:{nameof(SecretsOptions.KeyRingPath)}"];
        var folder = string.IsNullOrWhiteSpace(configured)
            ? ResolveFolder(builder, Path.Combine(storage.DataFolder, "keyring"), "Storage:DataFolder")
            : ResolveFolder(builder, configured, "Secrets:KeyRingPath");
        builder.Services.AddDataProtection().SetApplicationName(SecretsOptions.ApplicationName);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(
            o => o.XmlRepository = new PrivateKeyRingRepository(new DirectoryInfo(folder), services.GetRequiredService<ILoggerFactory>())));
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
        ResolveFolder(builder, Path.GetDirectoryName(path)!, "Storage:Database");
        return path;
    }

    private static string ResolveFolder(IHostApplicationBuilder builder, string folder, string key)
    {
        var path = Path.GetFullPath(folder, builder.Environment.ContentRootPath);
        try
        {
            PrivateFiles.CreateFolder(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"{key}: cannot create the folder '{path}' ({ex.Message}); point it at a writable path."]);
        }
        return path;
    }
}
