using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.Recommendations;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;
using TrackGrains.WebGateway.Rendering;

namespace TrackGrains.WebGateway.Endpoints;

/// <summary>
/// Drop-in replacement for Spotify's retired GET /v1/recommendations, picked from the enriched catalogue
/// by audio features (docs/recommendations.md), plus the library page's two forms of the same picks.
/// </summary>
public static class RecommendationEndpoints
{
    private const string ParametersHelp =
        "seed_tracks and/or seed_artists: 1 to 5 Spotify ids in all (seed_genres is refused: no genres here); " +
        "limit 1..100 (default 20); scope: all (default, every enriched track) or library (your saved tracks); " +
        "min_X, max_X, target_X for X in acousticness, danceability, energy, instrumentalness, liveness, speechiness, valence (0..1), " +
        "tempo (0..300), loudness (-60..0), key (0..11), mode (0..1), time_signature (3..7), popularity (0..100), duration_ms (>= 0). " +
        "Picks pass every min/max, are ranked by distance to the seeds and targets, and are never a seed nor a second release of one recording.";

    public static IEndpointRouteBuilder MapRecommendations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/recommendations", GetSpotifyShape).RequireAuthorization(AuthNames.UserPolicy).WithTags("Spotify compatible")
            .WithSummary("Recommendations, as Spotify's GET /v1/recommendations answered them.")
            .WithDescription(ParametersHelp + " tracks are the stored Spotify track objects.")
            .Produces<RecommendationsDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        var group = app.MapGroup("/api/recommendations").RequireAuthorization(AuthNames.UserPolicy).WithTags("Library")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("", GetLibraryShape)
            .WithSummary("The same picks as /v1/recommendations, as the library page lists tracks.")
            .WithDescription(ParametersHelp + " tracks are the API's track objects, as GET /api/library lists them.")
            .Produces<RecommendationPageDoc>();
        group.MapGet("/export", Export)
            .WithSummary("The same picks as a CSV or JSON download, in the library export's columns.")
            .WithDescription("format: csv (Exportify's columns) or json. " + ParametersHelp)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return app;
    }

    public static async Task<IResult> GetSpotifyShape(HttpContext context, IGrainFactory grains, CatalogueIndex index, LibraryReader library,
        TrackStore tracks, TimeProvider time)
    {
        var (picks, problem) = await PickAsync(context, grains, index, library, time);
        if (picks is null)
        {
            return problem!;
        }
        var summaries = await tracks.SummariesAsync(picks.Recommendation.TrackIds, context.RequestAborted);
        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("tracks");
            foreach (var id in picks.Recommendation.TrackIds)
            {
                if (summaries.TryGetValue(id, out var summary))
                {
                    SpotifyTrackObject.Write(w, summary);
                }
            }
            w.WriteEndArray();
            WriteSeeds(w, picks);
            w.WriteEndObject();
        });
    }

    public static async Task<IResult> GetLibraryShape(HttpContext context, IGrainFactory grains, CatalogueIndex index, LibraryReader library,
        TimeProvider time)
    {
        var (picks, problem) = await PickAsync(context, grains, index, library, time);
        if (picks is null)
        {
            return problem!;
        }
        // Each pick rendered from its own grain, as the library page renders its rows.
        var views = await Task.WhenAll(picks.Recommendation.TrackIds.Select(id => grains.GetGrain<ITrackGrain>(id).PeekAsync()));
        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("tracks");
            foreach (var view in views)
            {
                TrackJson.Write(w, view);
            }
            w.WriteEndArray();
            WriteSeeds(w, picks);
            w.WriteEndObject();
        });
    }

    public static async Task<IResult> Export(HttpContext context, IGrainFactory grains, CatalogueIndex index, LibraryReader library, TimeProvider time)
    {
        var (format, formatProblem) = LibraryExport.ReadFormat(context.Request.Query);
        if (format is null)
        {
            return formatProblem!;
        }
        var (picks, problem) = await PickAsync(context, grains, index, library, time, ignore: "format");
        if (picks is null)
        {
            return problem!;
        }
        await LibraryExport.SendAsync(context.Response, format, "trackgrains-recommendations",
            library.TrackRowsAsync(picks.Recommendation.TrackIds, context.RequestAborted), time.GetUtcNow(), context.RequestAborted);
        return Results.Empty;
    }

    /// <summary>A request's picks and the seeds as Spotify lists them.</summary>
    private sealed record Picks(Recommendation Recommendation, IReadOnlyList<(string Id, string Type)> Seeds);

    /// <summary>
    /// Checks the query, makes sure each seed track is stored (a seed not seen yet costs one SoundCharts
    /// call, charged to the caller's budget), builds the seed points and asks the index.
    /// </summary>
    private static async Task<(Picks?, IResult?)> PickAsync(HttpContext context, IGrainFactory grains, CatalogueIndex index,
        LibraryReader library, TimeProvider time, string? ignore = null)
    {
        var (parameters, problem) = RecommendationParameters.Read(context.Request.Query, alsoAllowed: ignore);
        if (parameters is null)
        {
            return (null, problem);
        }
        var caller = context.User;
        string? userId = null;
        if (parameters.LibraryOnly && (userId = CurrentUser.SpotifyUserId(caller)) is null)
        {
            return (null, CurrentUser.SpotifyUserRequired("scope=library"));
        }

        var lookups = await TrackReads.EnsureEnrichedAsync(grains, caller, parameters.SeedTracks);
        if (TrackReads.BudgetProblem(lookups, time) is { } overBudget)
        {
            return (null, overBudget);
        }
        var seedPoints = new List<double[]>();
        var excludedIsrcs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lookup in lookups)
        {
            var track = lookup.Track;
            switch (track.Enrichment.Status)
            {
                case EnrichmentStatus.Retrying:
                    return (null, Problems.Create(StatusCodes.Status503ServiceUnavailable, "SoundCharts did not answer yet",
                        $"Seed track {track.Id} could not be looked up yet ({track.Enrichment.LastError ?? "no reason recorded"}); " +
                        (track.Enrichment.NextRetryAt is { } at ? $"it is tried again at {at:u}." : "it is tried again soon.")));
                case EnrichmentStatus.Pending:
                    return (null, TrackProblems.NoKey(track.Id, track.Enrichment));
            }
            if (track.Isrc is { Length: > 0 } isrc)
            {
                excludedIsrcs.Add(isrc);
            }
            if (track.Enrichment.Status == EnrichmentStatus.Enriched && track.AudioFeatures is { } audio)
            {
                seedPoints.Add(Point(audio, track.DurationMs));
            }
        }

        await index.RefreshAsync(context.RequestAborted);
        foreach (var artist in parameters.SeedArtists)
        {
            if (index.ArtistPoint(artist) is not { } point)
            {
                return (null, Problems.BadRequest($"seed_artists: no stored track with audio features is by artist {artist}. " +
                    "Seed with tracks (seed_tracks), or sync a library that has this artist first."));
            }
            seedPoints.Add(point);
        }
        if (seedPoints.Count == 0 && !parameters.HasTargets)
        {
            return (null, Problems.BadRequest("None of the seeds has audio features (SoundCharts does not know them or sent none), " +
                "so there is nothing to measure other tracks against: use other seeds, or add target_ values."));
        }

        IReadOnlyCollection<string>? pool = null;
        if (userId is not null)
        {
            pool = await library.SavedTrackIdsAsync(userId, context.RequestAborted);
        }
        var request = new RecommendationRequest(seedPoints, parameters.Minimum, parameters.Maximum, parameters.Target, parameters.Limit,
            parameters.SeedTracks.ToHashSet(StringComparer.Ordinal), excludedIsrcs, pool);
        var recommendation = index.Recommend(request);
        var seeds = parameters.SeedTracks.Select(id => (id, "TRACK")).Concat(parameters.SeedArtists.Select(id => (id, "ARTIST"))).ToList();
        return (new Picks(recommendation, seeds), null);
    }

    private static double[] Point(AudioFeatures audio, int? durationMs)
    {
        var point = RecommendationRequest.Unset();
        void Set(TrackAttribute attribute, double? value)
        {
            if (value is { } v)
            {
                point[attribute.Index] = v;
            }
        }
        Set(TrackAttribute.Acousticness, audio.Acousticness);
        Set(TrackAttribute.Danceability, audio.Danceability);
        Set(TrackAttribute.Energy, audio.Energy);
        Set(TrackAttribute.Instrumentalness, audio.Instrumentalness);
        Set(TrackAttribute.Liveness, audio.Liveness);
        Set(TrackAttribute.Speechiness, audio.Speechiness);
        Set(TrackAttribute.Valence, audio.Valence);
        Set(TrackAttribute.Tempo, audio.Tempo);
        Set(TrackAttribute.Loudness, audio.Loudness);
        Set(TrackAttribute.Key, audio.Key is >= 0 ? audio.Key : null);
        Set(TrackAttribute.Mode, audio.Mode);
        Set(TrackAttribute.TimeSignature, audio.TimeSignature);
        Set(TrackAttribute.DurationMs, durationMs);
        return point;
    }

    private static void WriteSeeds(Utf8JsonWriter w, Picks picks)
    {
        var r = picks.Recommendation;
        w.WriteStartArray("seeds");
        foreach (var (id, type) in picks.Seeds)
        {
            w.WriteStartObject();
            w.WriteNumber("afterFilteringSize", r.AfterFilteringSize);
            w.WriteNumber("afterRelinkingSize", r.AfterRelinkingSize);
            w.WriteString("href", $"https://api.spotify.com/v1/{(type == "TRACK" ? "tracks" : "artists")}/{id}");
            w.WriteString("id", id);
            w.WriteNumber("initialPoolSize", r.InitialPoolSize);
            w.WriteString("type", type);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

/// <summary>Documentation shape of Spotify's recommendations response.</summary>
public sealed record RecommendationsDoc(List<JsonElement> Tracks, List<RecommendationSeedDoc> Seeds);

/// <summary>Documentation shape of /api/recommendations; the tracks are written by <see cref="TrackJson"/>.</summary>
public sealed record RecommendationPageDoc(List<TrackDoc> Tracks, List<RecommendationSeedDoc> Seeds);

public sealed record RecommendationSeedDoc(int AfterFilteringSize, int AfterRelinkingSize, string Href, string Id, int InitialPoolSize, string Type);
