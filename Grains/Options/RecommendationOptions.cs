namespace TrackGrains.Grains.Options;

public sealed class RecommendationOptions
{
    public const string Section = "Recommendations";

    /// <summary>
    /// How often the recommendation index looks for tracks other silos enriched (a track this process
    /// enriched is in the next answer without waiting).
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);
}
