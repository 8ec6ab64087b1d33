namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>A key's accounting state as its grain last saw it. Never carries the secret.</summary>
[GenerateSerializer, Immutable, Alias("tg.KeySnapshot")]
public sealed record KeySnapshot
{
    [Id(0)] public required string KeyId { get; init; }
    [Id(1)] public required string AppId { get; init; }
    [Id(2)] public required string MaskedKey { get; init; }
    [Id(3)] public bool IsActive { get; init; }
    [Id(4)] public string? DeactivationReason { get; init; }
    [Id(5)] public long? QuotaRemaining { get; init; }
    [Id(6)] public int? RateLimitLimit { get; init; }
    [Id(7)] public int? RateLimitRemaining { get; init; }
    [Id(8)] public DateTimeOffset? RateLimitResetAt { get; init; }
    /// <summary>Set after a rate-limit 429: no call on this key before then.</summary>
    [Id(9)] public DateTimeOffset? RestingUntil { get; init; }
    [Id(10)] public int InFlight { get; init; }
    [Id(11)] public long TotalRequests { get; init; }
    [Id(12)] public long SuccessfulRequests { get; init; }
    [Id(13)] public long FailedRequests { get; init; }
    [Id(14)] public DateTimeOffset? LastUsed { get; init; }
    [Id(15)] public string? LastResponseHeaders { get; init; }
    [Id(16)] public DateTimeOffset AddedAt { get; init; }
    /// <summary>The key has no stored state (removed, or never added): key directories forget it.</summary>
    [Id(17)] public bool Removed { get; init; }
    /// <summary>Deactivated for spent quota: the usage endpoint is asked again at <see cref="NextQuotaCheckAt"/>.</summary>
    [Id(18)] public DateTimeOffset? NextQuotaCheckAt { get; init; }
}
