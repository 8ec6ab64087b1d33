using System.Security.Claims;
using System.Text.Json.Serialization;
using TrackGrains.Grains.Spotify;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Endpoints;

/// <summary>
/// Drop-in replacement for Spotify's retired GET /v1/audio-features endpoints, in Spotify's own
/// response shape, backed by the stored SoundCharts audio block: a client keeps its code and
/// points its base URL here. Unknown tracks are null entries, as Spotify answered them.
/// </summary>
public static class AudioFeaturesEndpoints
{
    public const int MaxIds = 100;

    public static IEndpointRouteBuilder MapAudioFeatures(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/audio-features").RequireAuthorization(AuthNames.UserPolicy).WithTags("Spotify compatible");
        group.MapGet("", GetMany)
            .WithSummary("Audio features of up to 100 tracks, as Spotify's GET /v1/audio-features?ids= answered them.")
            .WithDescription("ids: comma-separated Spotify track ids (at most 100). One entry per requested id, in order; " +
                             "null for a track SoundCharts does not know, has no audio features for, or could not be asked about yet. " +
                             "Tracks not stored yet are fetched from SoundCharts first.")
            .Produces<AudioFeaturesList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{id}", GetOne)
            .WithSummary("Audio features of one track, as Spotify's GET /v1/audio-features/{id} answered them.")
            .WithDescription("404 when SoundCharts does not know the track or has no audio features for it; " +
                             "503 when it could not be asked yet (no key can serve, or a retry is scheduled).")
            .Produces<SpotifyAudioFeatures>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<IResult> GetMany(HttpRequest request, IGrainFactory grains, ClaimsPrincipal caller, TimeProvider time)
    {
        var raw = string.Join(',', request.Query["ids"].Where(v => v is not null));
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Problems.BadRequest($"Send ?ids=<id>,<id>,...: between 1 and {MaxIds} comma-separated Spotify track ids.");
        }
        var ids = raw.Split(',', StringSplitOptions.TrimEntries);
        if (ids.Length > MaxIds)
        {
            return Problems.BadRequest($"ids has {ids.Length} ids; at most {MaxIds} are allowed per request. Split the list.");
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
        var byId = lookups.ToDictionary(l => l.Track.Id, l => SpotifyAudioFeatures.From(l.Track), StringComparer.Ordinal);
        return TypedResults.Ok(new AudioFeaturesList(ids.Select(id => byId[id]).ToList()));
    }

    public static async Task<IResult> GetOne(string id, IGrainFactory grains, ClaimsPrincipal caller, TimeProvider time)
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
        if (SpotifyAudioFeatures.From(track) is { } features)
        {
            return TypedResults.Ok(features);
        }
        var e = track.Enrichment;
        return e.Status switch
        {
            EnrichmentStatus.Enriched => Problems.Create(StatusCodes.Status404NotFound, "No audio features",
                $"SoundCharts knows track {id} but has no audio features for it."),
            EnrichmentStatus.NotFound => TrackProblems.NotFound(id, e),
            EnrichmentStatus.Failed => Problems.Create(StatusCodes.Status404NotFound, "No audio features",
                $"Track {id} could not be enriched ({e.LastError ?? "no reason recorded"}). An admin can try again with POST /api/retry-failed."),
            EnrichmentStatus.Retrying => Problems.Create(StatusCodes.Status503ServiceUnavailable, "SoundCharts did not answer yet",
                $"The last SoundCharts lookup of track {id} failed ({e.LastError ?? "no reason recorded"}); " +
                (e.NextRetryAt is { } at ? $"it is tried again at {at:u}." : "it is tried again soon.")),
            _ => TrackProblems.NoKey(id, e),
        };
    }
}

/// <summary>Spotify's <c>{ "audio_features": [...] }</c> envelope; null entries for unknown tracks.</summary>
public sealed record AudioFeaturesList([property: JsonPropertyName("audio_features")] List<SpotifyAudioFeatures?> AudioFeatures);

/// <summary>
/// Spotify's audio-features object, field for field and in Spotify's order. SoundCharts uses the same
/// scales (0..1, dB, BPM, pitch class with -1 for no key, mode 0/1); a value SoundCharts did not send is null.
/// </summary>
public sealed record SpotifyAudioFeatures(
    [property: JsonPropertyName("danceability")] double? Danceability,
    [property: JsonPropertyName("energy")] double? Energy,
    [property: JsonPropertyName("key")] int? Key,
    [property: JsonPropertyName("loudness")] double? Loudness,
    [property: JsonPropertyName("mode")] int? Mode,
    [property: JsonPropertyName("speechiness")] double? Speechiness,
    [property: JsonPropertyName("acousticness")] double? Acousticness,
    [property: JsonPropertyName("instrumentalness")] double? Instrumentalness,
    [property: JsonPropertyName("liveness")] double? Liveness,
    [property: JsonPropertyName("valence")] double? Valence,
    [property: JsonPropertyName("tempo")] double? Tempo,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("track_href")] string TrackHref,
    [property: JsonPropertyName("analysis_url")] string AnalysisUrl,
    [property: JsonPropertyName("duration_ms")] int? DurationMs,
    [property: JsonPropertyName("time_signature")] int? TimeSignature)
{
    /// <summary>Null unless the track is enriched and SoundCharts sent an audio block.</summary>
    public static SpotifyAudioFeatures? From(TrackView track) =>
        track.Enrichment.Status == EnrichmentStatus.Enriched && track.AudioFeatures is { } a
            ? new SpotifyAudioFeatures(a.Danceability, a.Energy, a.Key, a.Loudness, a.Mode, a.Speechiness, a.Acousticness,
                a.Instrumentalness, a.Liveness, a.Valence, a.Tempo, "audio_features", track.Id, $"spotify:track:{track.Id}",
                $"https://api.spotify.com/v1/tracks/{track.Id}", $"https://api.spotify.com/v1/audio-analysis/{track.Id}",
                track.DurationMs, a.TimeSignature)
            : null;
}
