using System.Security.Claims;
using System.Text.Json;
using TrackGrains.Grains.Spotify;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;
using TrackGrains.WebGateway.Rendering;

namespace TrackGrains.WebGateway.Endpoints;

public static class TrackEndpoints
{
    public const int MaxBatch = 100;

    public static IEndpointRouteBuilder MapTracks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tracks").RequireAuthorization(AuthNames.UserPolicy).WithTags("Tracks");
        group.MapGet("/{id}", GetTrack)
            .WithSummary("One track with its SoundCharts audio features; fetched from SoundCharts when not stored yet.")
            .Produces<TrackEnvelopeDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/batch", GetBatch)
            .WithSummary("Up to 100 tracks at once; each one's enrichment.status says where it stands.")
            .Accepts<BatchRequest>("application/json")
            .Produces<BatchResponseDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    public static async Task<IResult> GetTrack(string id, IGrainFactory grains, ClaimsPrincipal caller, TimeProvider time)
    {
        if (!SpotifyTrackId.IsValid(id))
        {
            return Problems.BadRequest(SpotifyIds.InvalidDetail(id));
        }
        var lookup = await TrackReads.EnsureEnrichedAsync(grains, caller, id);
        if (TrackReads.BudgetProblem([lookup], time) is { } overBudget)
        {
            return overBudget;
        }
        var track = lookup.Track;
        switch (track.Enrichment.Status)
        {
            case EnrichmentStatus.NotFound:
                return TrackProblems.NotFound(id, track.Enrichment);
            case EnrichmentStatus.Pending when lookup.NoKeyAvailable:
                return TrackProblems.NoKey(id, track.Enrichment);
        }
        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("track");
            TrackJson.Write(w, track);
            w.WriteEndObject();
        });
    }

    public static async Task<IResult> GetBatch(HttpRequest request, IGrainFactory grains, JsonSerializerOptionsProvider json, ClaimsPrincipal caller, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<BatchRequest>(request, json.Options);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.TrackIds is not { } ids)
        {
            return Problems.BadRequest("Send {\"trackIds\": [\"<22-character Spotify id>\", ...]}: the trackIds array is missing.");
        }
        if (ids.Count == 0)
        {
            return Problems.BadRequest("trackIds is empty; send between 1 and 100 Spotify track ids.");
        }
        if (ids.Count > MaxBatch)
        {
            return Problems.BadRequest($"trackIds has {ids.Count} ids; at most {MaxBatch} are allowed per request. Split the list.");
        }
        if (SpotifyIds.CheckAll(ids) is { } invalid)
        {
            return invalid;
        }

        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        var lookups = await TrackReads.EnsureEnrichedAsync(grains, caller, distinct);
        if (TrackReads.BudgetProblem(lookups, time) is { } overBudget)
        {
            return overBudget;
        }
        var cached = lookups.Count(l => l.WasCached);
        var fetched = lookups.Count(l => l.FetchedNow);
        var failed = lookups.Where(l => l.Track.Enrichment.Status != EnrichmentStatus.Enriched).Select(l => l.Track.Id).ToList();

        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("tracks");
            foreach (var lookup in lookups)
            {
                TrackJson.Write(w, lookup.Track);
            }
            w.WriteEndArray();
            w.WriteNumber("cached", cached);
            w.WriteNumber("fetched", fetched);
            w.WriteStartArray("failed");
            foreach (var id in failed)
            {
                w.WriteStringValue(id);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}

public sealed record BatchRequest(List<string>? TrackIds);

/// <summary>Documentation shapes for the OpenAPI document; the responses are written by <see cref="TrackJson"/>.</summary>
public sealed record TrackEnvelopeDoc(TrackDoc Track);

public sealed record BatchResponseDoc(List<TrackDoc> Tracks, int Cached, int Fetched, List<string> Failed);

public sealed record TrackDoc(string Id, string? Name, string? SoundchartsUuid, string? Isrc, AudioFeatures? AudioFeatures, EnrichmentDoc Enrichment);

public sealed record EnrichmentDoc(string Status, DateTimeOffset? FetchedAt, int Attempts, DateTimeOffset? NextRetryAt, string? LastError);
