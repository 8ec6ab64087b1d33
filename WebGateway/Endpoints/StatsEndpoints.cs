using TrackGrains.Grains.Interfaces.Access;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Keys;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.Usage;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Endpoints;

public static class StatsEndpoints
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;
    public const int MaxUsers = 200;

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", GetStats)
            .RequireAuthorization(AuthNames.AdminPolicy)
            .WithTags("Stats")
            .WithSummary("Usage statistics per day, tracks stored, key quota, failures and warnings; current to the request.")
            .WithDescription(
                "Daily counts (UTC days): totalRequests = HTTP requests under /api and /v1 that got an answer, any status, " +
                "counted when the response starts (so a stats request shows up in the next one); " +
                "avgResponseTimeMs = their mean time until the response started; " +
                "cacheHits = track reads answered from stored SoundCharts data without an upstream call; " +
                "soundchartsCalls = HTTP calls sent to SoundCharts (each retry and key rotation counts); " +
                "failedCalls = those calls that brought neither the song nor a 404 (410, 401, 403, 429, 5xx, timeouts, broken bodies). " +
                "cacheHitRate = cacheHits / (cacheHits + soundchartsCalls). This silo's counts not yet written are written " +
                "before the answer; with several silos, the others' last few seconds may be missing. " +
                "?days=N (1-366, default 30) limits the daily rows. " +
                "users = each Spotify user's SoundCharts calls today (UTC) against Access:UserDailySoundChartsCalls, most calls first " +
                $"(at most {MaxUsers}); refused = uncached reads and sync lookups refused because that budget was spent.")
            .Produces<StatsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<IResult> GetStats(HttpRequest request, IGrainFactory grains, StatsStore store, UserUsageStore userUsage, IServiceProvider services,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (dayCount, problem) = QueryValues.Int(request.Query, "days", DefaultDays, 1, MaxDays);
        if (problem is not null)
        {
            return problem;
        }

        // A busy database throws a DbException here, which the shared exception handler answers with a 503.
        // Co-hosted silo: write what it counted so far, so the answer includes every request before this one.
        if (services.GetService<UsageFlushService>() is { } flush)
        {
            await flush.FlushAsync(cancellationToken);
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var daily = await store.ReadDaysAsync(dayCount, cancellationToken);
        var totals = await store.ReadTotalsAsync(today, cancellationToken);
        var tracks = await store.CountTracksAsync(cancellationToken);
        var failures = await store.CountFailuresByStatusAsync(cancellationToken);
        var keys = await KeySnapshots.ReadAllAsync(grains);
        // The rows say who spent today; each user's grain has the exact count (its row is written at most a second late).
        var users = await Task.WhenAll((await userUsage.UsersOnAsync(today, MaxUsers))
            .Select(user => grains.GetGrain<IUserBudgetGrain>(UserBudgetKey.For(user, today)).GetUsageAsync()));

        return TypedResults.Ok(new StatsResponse(
            tracks.Total,
            tracks.Enriched,
            HitRate(totals),
            keys.OrderBy(k => k.KeyId, StringComparer.Ordinal).Select(ApiKeyStatus.From).ToList(),
            new FailedRequestsSummary(
                failures.Values.Sum(),
                StatsStore.QueuedStatuses.Sum(s => failures.GetValueOrDefault(s)),
                failures.ToDictionary(p => p.Key, p => p.Value)),
            KeyWarnings.For(keys).ToList(),
            UsageTotals.From(totals),
            daily.Select(UsageDayView.From).ToList(),
            users.OrderByDescending(u => u.SoundChartsCalls).ThenBy(u => u.UserId, StringComparer.Ordinal).Select(UserUsageView.From).ToList()));
    }

    internal static double? HitRate(UsageDay usage) =>
        usage.CacheHits + usage.SoundChartsCalls is var lookups and > 0 ? (double)usage.CacheHits / lookups : null;
}

/// <param name="TotalTracks">Rows in the tracks table: every track known from Spotify or SoundCharts.</param>
/// <param name="EnrichedTracks">Of those, the ones holding SoundCharts data.</param>
/// <param name="CacheHitRate">cacheHits / (cacheHits + soundchartsCalls) over every stored day; null before any.</param>
public sealed record StatsResponse(
    long TotalTracks,
    long EnrichedTracks,
    double? CacheHitRate,
    List<ApiKeyStatus> ApiKeysStatus,
    FailedRequestsSummary FailedRequests,
    List<KeyWarning> Warnings,
    UsageTotals Totals,
    List<UsageDayView> Daily,
    List<UserUsageView> Users);

/// <param name="DailyBudget">Access:UserDailySoundChartsCalls; null when there is no limit.</param>
/// <param name="Remaining">Calls left today; null when there is no limit.</param>
/// <param name="Refused">Uncached reads and sync lookups refused today because the budget was spent.</param>
public sealed record UserUsageView(string UserId, DateOnly Day, long SoundchartsCalls, long? DailyBudget, long? Remaining, long Refused)
{
    public static UserUsageView From(UserUsage u) => new(u.UserId, u.Day, u.SoundChartsCalls,
        u.Limit > 0 ? u.Limit : null, u.Limit > 0 ? Math.Max(0, u.Limit - u.SoundChartsCalls) : null, u.Refused);
}

public sealed record ApiKeyStatus(string Id, string AppId, long? QuotaRemaining, bool IsActive, string? DeactivationReason)
{
    public static ApiKeyStatus From(KeySnapshot k) => new(k.KeyId, k.AppId, k.QuotaRemaining, k.IsActive, k.IsActive ? null : k.DeactivationReason);
}

/// <param name="Total">Rows in failed_requests: tracks not enriched because of a failure or a missing key.</param>
/// <param name="RetryQueue">Of those, the ones that will be tried again by themselves (retrying, pending).</param>
/// <param name="ByStatus">Rows per status (retrying, pending, failed ...).</param>
public sealed record FailedRequestsSummary(long Total, long RetryQueue, Dictionary<string, long> ByStatus);

public sealed record UsageTotals(DateOnly Since, long TotalRequests, long CacheHits, long SoundchartsCalls, long FailedCalls, double? AvgResponseTimeMs)
{
    public static UsageTotals From(UsageDay d) => new(d.Day, d.TotalRequests, d.CacheHits, d.SoundChartsCalls, d.FailedCalls, d.AvgResponseTimeMs);
}

public sealed record UsageDayView(DateOnly Day, long TotalRequests, long CacheHits, long SoundchartsCalls, long FailedCalls, double? AvgResponseTimeMs, double? CacheHitRate)
{
    public static UsageDayView From(UsageDay d) =>
        new(d.Day, d.TotalRequests, d.CacheHits, d.SoundChartsCalls, d.FailedCalls, d.AvgResponseTimeMs, StatsEndpoints.HitRate(d));
}
