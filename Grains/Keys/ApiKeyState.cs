namespace TrackGrains.Grains.Keys;

/// <summary>Persisted state of one SoundCharts key. Ids are never renumbered.</summary>
[GenerateSerializer, Alias("tg.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public string AppId { get; set; } = "";
    /// <summary>
    /// Earlier versions stored the secret here in clear. It is moved to <see cref="ProtectedApiKey"/> on the
    /// grain's first activation and stays empty from then on.
    /// </summary>
    [Id(1)] public string ApiKey { get; set; } = "";
    [Id(2)] public bool IsActive { get; set; }
    [Id(3)] public string? DeactivationReason { get; set; }
    [Id(4)] public long? QuotaRemaining { get; set; }
    /// <summary>True once a successful response came without x-quota-remaining: the key is then capped by concurrency, not quota.</summary>
    [Id(5)] public bool QuotaHeaderMissing { get; set; }
    [Id(6)] public int? RateLimitLimit { get; set; }
    [Id(7)] public int? RateLimitRemaining { get; set; }
    [Id(8)] public DateTimeOffset? RateLimitResetAt { get; set; }
    [Id(9)] public DateTimeOffset? RestingUntil { get; set; }
    [Id(10)] public long TotalRequests { get; set; }
    [Id(11)] public long SuccessfulRequests { get; set; }
    [Id(12)] public long FailedRequests { get; set; }
    [Id(13)] public DateTimeOffset? LastUsed { get; set; }
    [Id(14)] public string? LastResponseHeaders { get; set; }
    [Id(15)] public DateTimeOffset AddedAt { get; set; }
    [Id(16)] public bool LowQuotaWarned { get; set; }
    /// <summary>Deactivated because its quota was spent: re-checked every SoundCharts:QuotaRecheckInterval until it is back.</summary>
    [Id(17)] public bool DeactivatedForQuota { get; set; }
    /// <summary>The secret encrypted with ASP.NET Core Data Protection: the only form of it ever written.</summary>
    [Id(18)] public string? ProtectedApiKey { get; set; }
    [Id(19)] public DateTimeOffset? NextQuotaCheckAt { get; set; }
}
