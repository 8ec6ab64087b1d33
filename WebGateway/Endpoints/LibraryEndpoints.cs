using System.Globalization;
using System.Text.Json;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;
using TrackGrains.WebGateway.Rendering;

namespace TrackGrains.WebGateway.Endpoints;

public static class LibraryEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    private const string SelectionHelp =
        "q: case-insensitive substring of the track name or any artist name; " +
        "sort: addedAt (default), name, artist, tempo, energy, danceability, valence, acousticness, instrumentalness, liveness, " +
        "speechiness, loudness, key, popularity, duration (tracks without the value come last); " +
        "order: asc or desc (default desc, asc for name, artist and key); playlist: a synced playlist's id instead of the saved tracks.";

    public static IEndpointRouteBuilder MapLibrary(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").RequireAuthorization(AuthNames.UserPolicy).WithTags("Library")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/api/library", GetLibrary)
            .WithSummary("A page of the caller's saved tracks (or one synced playlist), searched and sorted over the whole library.")
            .WithDescription("offset (default 0), limit (default 50, at most 200); " + SelectionHelp + " total counts the tracks after the search.")
            .Produces<LibraryPageDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/api/library/features", GetFeatures)
            .WithSummary("The audio features of every track of the selection, as parallel arrays, for plots.")
            .WithDescription(SelectionHelp + " Each array has one entry per track, in the selection's order; null where a value is unknown.")
            .Produces<LibraryFeaturesDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/api/library/export", Export)
            .WithSummary("The whole library (or the q / playlist selection) as a CSV or JSON download, streamed.")
            .WithDescription("format: csv (Exportify's columns) or json. " + SelectionHelp)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/api/playlists", GetPlaylists)
            .WithSummary("The caller's playlists brought in by a sync with collectionType playlists or all.")
            .Produces<PlaylistsDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>
    /// The page (ids, added_at, total) comes from the read model in one query over the whole selection; each
    /// track is then rendered from its own grain, the source of truth, so the listing shows exactly what
    /// GET /api/tracks/{id} shows (enrichment attempts included, which the read model does not hold).
    /// </summary>
    public static async Task<IResult> GetLibrary(HttpContext context, IGrainFactory grains, LibraryReader reader)
    {
        var (offset, offsetProblem) = QueryValues.Int(context.Request.Query, "offset", 0, 0, int.MaxValue);
        if (offsetProblem is not null)
        {
            return offsetProblem;
        }
        var (limit, limitProblem) = QueryValues.Int(context.Request.Query, "limit", DefaultLimit, 1, MaxLimit);
        if (limitProblem is not null)
        {
            return limitProblem;
        }
        var (query, problem) = await ReadSelectionAsync(context, reader);
        if (query is null)
        {
            return problem!;
        }

        var (total, page) = await reader.PageAsync(query, offset, limit, context.RequestAborted);
        var views = await Task.WhenAll(page.Select(e => grains.GetGrain<ITrackGrain>(e.TrackId).PeekAsync()));
        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", total);
            w.WriteNumber("offset", offset);
            w.WriteNumber("limit", limit);
            w.WriteString("sort", query.Sort);
            w.WriteString("order", query.Descending ? "desc" : "asc");
            w.WriteStartArray("tracks");
            for (var i = 0; i < views.Length; i++)
            {
                TrackJson.Write(w, views[i], page[i].AddedAt);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>One query, columns gathered in memory: a few numbers per track (a 10,000-track library is well under a megabyte).</summary>
    public static async Task<IResult> GetFeatures(HttpContext context, LibraryReader reader)
    {
        var (query, problem) = await ReadSelectionAsync(context, reader);
        if (query is null)
        {
            return problem!;
        }
        var rows = new List<LibraryRow>();
        await foreach (var row in reader.RowsAsync(query, context.RequestAborted))
        {
            rows.Add(row);
        }
        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", rows.Count);
            Strings(w, "ids", rows, r => r.Id);
            Strings(w, "names", rows, r => r.Name);
            Strings(w, "artists", rows, r => r.ArtistNames);
            Numbers(w, "tempo", rows, r => r.Tempo);
            Numbers(w, "energy", rows, r => r.Energy);
            Numbers(w, "danceability", rows, r => r.Danceability);
            Numbers(w, "valence", rows, r => r.Valence);
            Numbers(w, "acousticness", rows, r => r.Acousticness);
            Numbers(w, "instrumentalness", rows, r => r.Instrumentalness);
            Numbers(w, "liveness", rows, r => r.Liveness);
            Numbers(w, "speechiness", rows, r => r.Speechiness);
            Numbers(w, "loudness", rows, r => r.Loudness);
            Numbers(w, "key", rows, r => r.Key);
            Numbers(w, "mode", rows, r => r.Mode);
            Numbers(w, "popularity", rows, r => r.Popularity);
            Numbers(w, "duration", rows, r => r.DurationMs);
            w.WriteEndObject();
        });
    }

    public static async Task<IResult> Export(HttpContext context, LibraryReader reader, TimeProvider time)
    {
        var (format, formatProblem) = LibraryExport.ReadFormat(context.Request.Query);
        if (format is null)
        {
            return formatProblem!;
        }
        var (query, problem) = await ReadSelectionAsync(context, reader);
        if (query is null)
        {
            return problem!;
        }
        var name = $"trackgrains-{(query.PlaylistId is null ? "library" : "playlist-" + query.PlaylistId)}";
        await LibraryExport.SendAsync(context.Response, format, name, reader.RowsAsync(query, context.RequestAborted), time.GetUtcNow(),
            context.RequestAborted);
        return Results.Empty;
    }

    public static async Task<IResult> GetPlaylists(HttpContext context, LibraryReader reader)
    {
        if (CurrentUser.SpotifyUserId(context.User) is not { } userId)
        {
            return CurrentUser.SpotifyUserRequired("The playlist list");
        }
        var playlists = await reader.PlaylistsAsync(userId, context.RequestAborted);
        return TypedResults.Ok(new PlaylistsDoc(playlists.Select(p => new PlaylistDoc(p.Id, p.Name, p.TrackCount, p.SyncedAt)).ToList()));
    }

    private static async Task<(LibraryQuery? Query, IResult? Problem)> ReadSelectionAsync(HttpContext context, LibraryReader reader)
    {
        if (CurrentUser.SpotifyUserId(context.User) is not { } userId)
        {
            return (null, CurrentUser.SpotifyUserRequired("The library"));
        }
        return await LibrarySelection.ReadAsync(context.Request.Query, userId, reader, context.RequestAborted);
    }

    private static void Strings(Utf8JsonWriter w, string name, List<LibraryRow> rows, Func<LibraryRow, string?> value)
    {
        w.WriteStartArray(name);
        foreach (var row in rows)
        {
            if (value(row) is { } v)
            {
                w.WriteStringValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }
        w.WriteEndArray();
    }

    private static void Numbers(Utf8JsonWriter w, string name, List<LibraryRow> rows, Func<LibraryRow, double?> value)
    {
        w.WriteStartArray(name);
        foreach (var row in rows)
        {
            if (value(row) is { } v)
            {
                w.WriteNumberValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }
        w.WriteEndArray();
    }
}

/// <summary>Documentation shape for the OpenAPI document; the response is written by <see cref="TrackJson"/>.</summary>
public sealed record LibraryPageDoc(int Total, int Offset, int Limit, string Sort, string Order, List<TrackDoc> Tracks);

/// <summary>Documentation shape: parallel arrays, one entry per track.</summary>
public sealed record LibraryFeaturesDoc(int Total, List<string> Ids, List<string?> Names, List<string?> Artists, List<double?> Tempo,
    List<double?> Energy, List<double?> Danceability, List<double?> Valence, List<double?> Acousticness, List<double?> Instrumentalness,
    List<double?> Liveness, List<double?> Speechiness, List<double?> Loudness, List<double?> Key, List<double?> Mode,
    List<double?> Popularity, List<double?> Duration);

public sealed record PlaylistsDoc(List<PlaylistDoc> Playlists);

public sealed record PlaylistDoc(string Id, string? Name, long TrackCount, DateTimeOffset SyncedAt);
