namespace TrackGrains.Silo.Hosting;

public sealed class SecretsOptions
{
    public const string Section = "Secrets";

    /// <summary>
    /// The Data Protection application name: every silo of a cluster must use the same one, with the same key ring,
    /// or a key grain activated on another silo cannot read its secret.
    /// </summary>
    public const string ApplicationName = "TrackGrains";

    /// <summary>
    /// Where the Data Protection key ring lives (the keys that decrypt the stored SoundCharts secrets). Default: the
    /// <c>keyring</c> folder in the data folder. Put it elsewhere to keep it out of database backups; a cluster on
    /// several machines needs one folder all silos share.
    /// </summary>
    public string? KeyRingPath { get; set; }
}
