namespace TrackGrains.Grains.Options;

public sealed class UsageOptions
{
    public const string Section = "Usage";

    /// <summary>How often each silo adds its in-memory usage counts to usage_stats.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
