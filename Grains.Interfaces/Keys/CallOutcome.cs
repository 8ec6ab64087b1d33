namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>How one SoundCharts call ended, as far as the key's accounting cares.</summary>
[GenerateSerializer, Alias("tg.CallOutcome")]
public enum CallOutcome
{
    Success = 0,
    NotFound = 1,
    Gone = 2,
    RateLimited = 3,
    QuotaReached = 4,
    Unauthorized = 5,
    Forbidden = 6,
    Transient = 7,
    /// <summary>The permit was never used (the caller gave up before sending).</summary>
    NotSent = 8,
}
