namespace TrackGrains.Grains.Options;

/// <summary>The per-user part of Access: read where the grains run (a Silo process needs it as well as the gateway).</summary>
public sealed class UserBudgetOptions
{
    public const string Section = "Access";

    /// <summary>SoundCharts calls one user's reads and syncs may cause per UTC day; 0 means no limit.</summary>
    public int UserDailySoundChartsCalls { get; set; } = 5000;
}
