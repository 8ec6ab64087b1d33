using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.SoundCharts;

/// <summary>
/// A key's state as SoundCharts' free usage endpoint reports it. Every number is optional: the
/// endpoint's shape is not documented in detail, so whatever cannot be read stays unknown.
/// </summary>
public sealed record KeyUsage(
    CallOutcome Outcome,
    long? QuotaRemaining,
    int? RateLimitLimit,
    int? RateLimitRemaining,
    int? RateLimitResetSeconds,
    string? Message)
{
    public static KeyUsage Unavailable(string message) => new(CallOutcome.Transient, null, null, null, null, message);
}
