using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace TrackGrains.Silo.Hosting;

/// <summary>
/// Reads and checks the Storage and Cluster sections together, because their values constrain each
/// other (membership lives in the storage database). A value outside its allowed set stops start-up
/// with one line naming the key and the allowed values; it is never replaced by a default.
/// </summary>
public static class ClusterSettings
{
    public static (StorageOptions Storage, ClusterOptions Cluster) Read(IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var cluster = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var failures = Validate(storage, cluster).ToArray();
        if (failures.Length > 0)
        {
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), failures);
        }
        return (storage, cluster);
    }

    private static IEnumerable<string> Validate(StorageOptions storage, ClusterOptions cluster)
    {
        if (!IsOneOf(storage.Provider, StorageOptions.Providers))
        {
            yield return $"Storage:Provider='{storage.Provider}' is not one of {List(StorageOptions.Providers)}.";
            yield break;
        }
        if (storage.IsPostgres && string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            yield return "Storage:ConnectionString is required with Storage:Provider=postgres, e.g. Host=127.0.0.1;Username=trackgrains;Password=...;Database=trackgrains.";
        }
        if (!IsOneOf(cluster.Clustering, ClusterOptions.ClusteringValues))
        {
            yield return $"Cluster:Clustering='{cluster.Clustering}' is not one of {List(ClusterOptions.ClusteringValues)}.";
        }
        else if (cluster.UsesMembershipTable && !string.Equals(cluster.Clustering, storage.Provider, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Cluster:Clustering={cluster.Clustering} keeps membership in the storage database, but Storage:Provider={storage.Provider}: set both to the same provider.";
        }
        if (!IsOneOf(cluster.Role, ClusterOptions.Roles))
        {
            yield return $"Cluster:Role='{cluster.Role}' is not one of {List(ClusterOptions.Roles)}.";
        }
        else if (cluster.IsClient && !cluster.UsesMembershipTable)
        {
            yield return "Cluster:Role=client joins separate Silo processes: set Cluster:Clustering to sqlite or postgres (as the silos have it).";
        }
        if (cluster.SiloPort is < 1 or > 65535)
        {
            yield return $"Cluster:SiloPort={cluster.SiloPort} is not a port (1-65535).";
        }
        if (cluster.GatewayPort is < 0 or > 65535)
        {
            yield return $"Cluster:GatewayPort={cluster.GatewayPort} is not a port (0 for none, or 1-65535).";
        }
        if (cluster.GrainCollectionAge is { } age && age < ClusterOptions.MinimumGrainCollectionAge)
        {
            yield return $"Cluster:GrainCollectionAge={age} is shorter than {ClusterOptions.MinimumGrainCollectionAge}; give an idle time such as 00:15:00.";
        }
        if (cluster.AdvertisedIP is { } advertised && !IPAddress.TryParse(advertised, out _))
        {
            yield return $"Cluster:AdvertisedIP='{advertised}' is not an IP address; give the address other silos reach this one at, e.g. 10.0.0.12.";
        }
        if (cluster.ListenAddress is { } listen && !IPAddress.TryParse(listen, out _))
        {
            yield return $"Cluster:ListenAddress='{listen}' is not an IP address, e.g. 0.0.0.0 for every interface.";
        }
    }

    public static IPAddress AdvertisedAddress(ClusterOptions cluster) =>
        cluster.AdvertisedIP is { } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;

    public static IPAddress? ListenAddress(ClusterOptions cluster) =>
        cluster.ListenAddress is { } ip ? IPAddress.Parse(ip) : null;

    /// <summary>
    /// Declares a dead silo dead within about 30 s, a crashed one within seconds (its port refuses
    /// at once). Measured on 2 cores (POSTGRES-NOTES): with defaults a hung silo took 62 s. A hang
    /// is declared after about MaxProbeTimeout x NumMissedProbesLimit without a message (here 15 s)
    /// plus the votes and a table refresh. Probing is not made tighter than this: on a busy 2-core
    /// machine tight timeouts declare live silos dead, and ExtendProbeTimeoutDuringDegradation stays on.
    /// </summary>
    public static void TuneFailureDetection(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(2);
        o.MaxProbeTimeout = TimeSpan.FromSeconds(5);
        o.NumMissedProbesLimit = 3;
        o.NumVotesForDeathDeclaration = 2;
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
    }

    private static bool IsOneOf(string? value, IReadOnlyList<string> allowed) =>
        allowed.Contains(value ?? "", StringComparer.OrdinalIgnoreCase);

    private static string List(IReadOnlyList<string> values) => string.Join(", ", values);
}
