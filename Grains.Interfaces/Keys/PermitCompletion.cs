namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>What a call made with a permit learned: outcome and the accounting headers, already parsed.</summary>
[GenerateSerializer, Immutable, Alias("tg.PermitCompletion")]
public sealed record PermitCompletion
{
    [Id(0)] public required long PermitId { get; init; }
    [Id(1)] public required CallOutcome Outcome { get; init; }
    [Id(2)] public int? HttpStatus { get; init; }
    [Id(3)] public long? QuotaRemaining { get; init; }
    [Id(4)] public int? RateLimitLimit { get; init; }
    [Id(5)] public int? RateLimitRemaining { get; init; }
    /// <summary>Seconds until the rate-limit window resets, as the server said.</summary>
    [Id(6)] public int? RateLimitResetSeconds { get; init; }
    [Id(7)] public string? Message { get; init; }
    /// <summary>The x-* response headers, for operators; never contains credentials.</summary>
    [Id(8)] public string? ResponseHeaders { get; init; }
}
