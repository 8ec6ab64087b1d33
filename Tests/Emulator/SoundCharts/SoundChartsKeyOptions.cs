namespace TrackGrains.Emulator.SoundCharts;

/// <summary>A SoundCharts credential pair and its plan. Keys are identified by <see cref="AppId"/>.</summary>
public sealed record SoundChartsKeyOptions
{
    public string AppId { get; init; } = "";

    public string ApiKey { get; init; } = "";

    /// <summary>Units left; every 200 and 410 costs one.</summary>
    public long Quota { get; init; } = 1000;

    /// <summary>Calls allowed beyond the quota before "Maximum quota reached" (SoundCharts plans give ~10 %).</summary>
    public long OverageAllowance { get; init; }

    /// <summary>Requests allowed per fixed window; the window starts at the first call.</summary>
    public int RateLimit { get; init; } = 100;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Send x-quota-remaining.</summary>
    public bool SendQuotaHeader { get; init; } = true;

    /// <summary>Send x-ratelimit-limit, -remaining, -reset and -used.</summary>
    public bool SendRateLimitHeaders { get; init; } = true;

    public bool SendRequestId { get; init; } = true;

    /// <summary>The endpoint is not in this key's plan: every song call answers 403.</summary>
    public bool PlanLacksEndpoint { get; init; }
}
