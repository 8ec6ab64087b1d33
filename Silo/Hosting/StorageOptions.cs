namespace TrackGrains.Silo.Hosting;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    public static readonly IReadOnlyList<string> Providers = [Sqlite, Postgres];

    /// <summary>"sqlite" (one file, the default) or "postgres" (one PostgreSQL database, for a cluster).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The SQLite file holding grain state, reminders and the read model (Provider=sqlite).</summary>
    public string Database { get; set; } = "data/tracks.db";

    /// <summary>The Npgsql connection string (Provider=postgres), e.g. Host=db;Username=trackgrains;Database=trackgrains.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Where the server keeps its own files (the generated admin token ...). With SQLite, the database
    /// file's folder unless set; with PostgreSQL, <c>data</c> under the content root unless set.
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>How long a connection waits on another writer's lock before its command fails (SQLite).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}

public sealed class ClusterOptions
{
    /// <summary>Not "Orleans": Orleans reads that section itself to configure providers (Orleans:Clustering ...).</summary>
    public const string Section = "Cluster";

    public const string Localhost = "localhost";

    public static readonly IReadOnlyList<string> ClusteringValues = [Localhost, StorageOptions.Sqlite, StorageOptions.Postgres];

    public static readonly IReadOnlyList<string> Roles = ["silo", "client"];

    /// <summary>
    /// "localhost" (one process, the default), "sqlite" (silos on one machine share the database file's
    /// membership table) or "postgres" (silos on several machines share the PostgreSQL membership table).
    /// </summary>
    public string Clustering { get; set; } = Localhost;

    /// <summary>
    /// For the web gateway: "silo" (the default) hosts a silo in the gateway process; "client" joins the
    /// silos of a sqlite- or postgres-clustered deployment as an Orleans client and hosts no grains itself.
    /// </summary>
    public string Role { get; set; } = "silo";

    public bool IsClient => string.Equals(Role, "client", StringComparison.OrdinalIgnoreCase);

    public bool UsesMembershipTable => !string.Equals(Clustering, Localhost, StringComparison.OrdinalIgnoreCase);

    public int SiloPort { get; set; } = 11111;

    /// <summary>0 disables the client gateway; a separate WebGateway process needs one.</summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// The address other silos and clients use to reach this silo (written to the membership table).
    /// Loopback unless set: a silo on several machines must set its own reachable address.
    /// </summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>
    /// The address the silo and gateway ports listen on; the advertised address unless set
    /// (0.0.0.0 listens on every interface, e.g. in a container whose advertised address is the host's).
    /// </summary>
    public string? ListenAddress { get; set; }

    public string ClusterId { get; set; } = "trackgrains";

    public string ServiceId { get; set; } = "trackgrains";

    /// <summary>Orleans refuses reminder periods below this; tests lower it to use short retry delays.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a grain stays idle before Orleans deactivates it; Orleans' own default when unset.
    /// The benchmark lowers it to measure the working set after idle deactivation.
    /// </summary>
    public TimeSpan? GrainCollectionAge { get; set; }

    /// <summary>Orleans refuses collection ages shorter than its collection quantum; ours is set to half the age.</summary>
    public static readonly TimeSpan MinimumGrainCollectionAge = TimeSpan.FromSeconds(10);
}
