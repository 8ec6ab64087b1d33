using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Keys;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Endpoints;

public static class KeyEndpoints
{
    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keys").RequireAuthorization(AuthNames.AdminPolicy).WithTags("Keys");
        group.MapPost("/add", AddKey)
            .WithSummary("Adds a SoundCharts key; tracks waiting for a key resume at once.")
            .Accepts<AddKeyRequest>("application/json")
            .Produces<AddKeyResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/list", ListKeys)
            .WithSummary("Every key with its quota, rate-limit state and counters; secrets masked.")
            .Produces<KeyListResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<IResult> AddKey(HttpRequest request, IGrainFactory grains, JsonSerializerOptionsProvider json)
    {
        var (body, problem) = await JsonBody.ReadAsync<AddKeyRequest>(request, json.Options);
        if (problem is not null)
        {
            return problem;
        }
        var appId = body!.AppId?.Trim();
        var apiKey = body.ApiKey?.Trim();
        if (string.IsNullOrEmpty(appId) || string.IsNullOrEmpty(apiKey))
        {
            return Problems.BadRequest("Send {\"appId\": \"...\", \"apiKey\": \"...\"}: both are required and must not be blank.");
        }
        if (appId.Length > 200 || apiKey.Length > 500 || appId.Any(char.IsControl) || apiKey.Any(char.IsControl))
        {
            return Problems.BadRequest("appId (at most 200 characters) and apiKey (at most 500) must be printable text.");
        }

        var result = await grains.GetGrain<IKeyRegistryGrain>(0).AddKeyAsync(appId, apiKey);
        if (!result.Added)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Key already registered",
                $"This app id and key are already registered as {result.KeyId}; see GET /api/keys/list.");
        }
        return TypedResults.Ok(new AddKeyResponse(true, result.KeyId));
    }

    public static async Task<IResult> ListKeys(IGrainFactory grains)
    {
        var snapshots = await KeySnapshots.ReadAllAsync(grains);
        return TypedResults.Ok(new KeyListResponse(snapshots.Select(KeyView.From).ToList()));
    }
}

public sealed record AddKeyRequest(string? AppId, string? ApiKey);

public sealed record AddKeyResponse(bool Success, string KeyId);

public sealed record KeyListResponse(List<KeyView> Keys);

public sealed record KeyView(
    string Id,
    string AppId,
    string ApiKey,
    bool IsActive,
    string? DeactivationReason,
    long? QuotaRemaining,
    int? RateLimitLimit,
    int? RateLimitRemaining,
    DateTimeOffset? RateLimitResetAt,
    DateTimeOffset? RestingUntil,
    int InFlight,
    long TotalRequests,
    long SuccessfulRequests,
    long FailedRequests,
    DateTimeOffset? LastUsed,
    string? LastResponseHeaders,
    DateTimeOffset AddedAt)
{
    public static KeyView From(KeySnapshot k) => new(k.KeyId, k.AppId, k.MaskedKey, k.IsActive, k.DeactivationReason, k.QuotaRemaining,
        k.RateLimitLimit, k.RateLimitRemaining, k.RateLimitResetAt, k.RestingUntil, k.InFlight, k.TotalRequests, k.SuccessfulRequests,
        k.FailedRequests, k.LastUsed, k.LastResponseHeaders, k.AddedAt);
}
