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
            .WithSummary("Adds a SoundCharts key, or checks a known inactive one and takes it into service again (409 while it is active); tracks waiting for a key resume at once.")
            .Accepts<AddKeyRequest>("application/json")
            .Produces<AddKeyResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{keyId}", RemoveKey)
            .WithSummary("Removes a key: it is never called again and its secret is erased.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
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
        if (result.Outcome == AddKeyOutcome.AlreadyActive)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Key already registered",
                $"This app id and key are already registered as {result.KeyId} and active; see GET /api/keys/list.");
        }
        return TypedResults.Ok(new AddKeyResponse(true, result.KeyId, result.Snapshot?.IsActive ?? false, result.Snapshot?.DeactivationReason));
    }

    public static async Task<IResult> RemoveKey(string keyId, IGrainFactory grains)
    {
        // Ids are made by KeyMasking.KeyIdFor; anything else cannot name a key, and need not reach a grain.
        if (!KeyMasking.IsKeyId(keyId) || !await grains.GetGrain<IKeyRegistryGrain>(0).RemoveKeyAsync(keyId))
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Unknown key",
                $"No key has the id {Problems.Quote(keyId)}; GET /api/keys/list shows the ids of the registered keys.");
        }
        return TypedResults.NoContent();
    }

    public static async Task<IResult> ListKeys(IGrainFactory grains)
    {
        var snapshots = await KeySnapshots.ReadAllAsync(grains);
        return TypedResults.Ok(new KeyListResponse(snapshots.Select(KeyView.From).ToList()));
    }
}

public sealed record AddKeyRequest(string? AppId, string? ApiKey);

/// <param name="IsActive">False when the check found the key unusable (no quota, bad credentials): see the reason.</param>
public sealed record AddKeyResponse(bool Success, string KeyId, bool IsActive, string? DeactivationReason);

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
    DateTimeOffset AddedAt,
    DateTimeOffset? NextQuotaCheckAt)
{
    public static KeyView From(KeySnapshot k) => new(k.KeyId, k.AppId, k.MaskedKey, k.IsActive, k.DeactivationReason, k.QuotaRemaining,
        k.RateLimitLimit, k.RateLimitRemaining, k.RateLimitResetAt, k.RestingUntil, k.InFlight, k.TotalRequests, k.SuccessfulRequests,
        k.FailedRequests, k.LastUsed, k.LastResponseHeaders, k.AddedAt, k.NextQuotaCheckAt);
}
