namespace TrackGrains.Grains.Usage;

/// <summary>Something about the SoundCharts keys an operator should act on.</summary>
/// <param name="Code"><c>noKeys</c>, <c>allKeysExhausted</c> or <c>quotaLow</c>.</param>
/// <param name="KeyId">The key concerned, for <c>quotaLow</c>.</param>
public sealed record KeyWarning(string Code, string? KeyId, string Message);
