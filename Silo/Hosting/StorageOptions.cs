namespace TrackGrains.Silo.Hosting;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file holding grain state, reminders and the read model.</summary>
    public string Database { get; set; } = "data/tracks.db";

    /// <summary>How long a connection waits on another writer's lock before its command fails.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class ClusterOptions
{
    /// <summary>Not "Orleans": Orleans reads that section itself to configure providers (Orleans:Clustering ...).</summary>
    public const string Section = "Cluster";

    /// <summary>"localhost" (one process, the default) or "sqlite" (silos share the database file's membership table).</summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary>
    /// For the web gateway: "silo" (the default) hosts a silo in the gateway process; "client" joins the
    /// silos of Cluster:Clustering=sqlite as an Orleans client and hosts no grains itself.
    /// </summary>
    public string Role { get; set; } = "silo";

    public bool IsClient => string.Equals(Role, "client", StringComparison.OrdinalIgnoreCase);

    public int SiloPort { get; set; } = 11111;

    /// <summary>0 disables the client gateway; a separate WebGateway process needs one.</summary>
    public int GatewayPort { get; set; }

    public string ClusterId { get; set; } = "trackgrains";

    public string ServiceId { get; set; } = "trackgrains";

    /// <summary>Orleans refuses reminder periods below this; tests lower it to use short retry delays.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
