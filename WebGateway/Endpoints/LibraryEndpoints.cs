using TrackGrains.Grains.Interfaces.Library;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;
using TrackGrains.WebGateway.Rendering;

namespace TrackGrains.WebGateway.Endpoints;

public static class LibraryEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapLibrary(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/library", GetLibrary)
            .RequireAuthorization(AuthNames.UserPolicy)
            .WithTags("Library")
            .WithSummary("The caller's saved tracks, newest first, with addedAt; offset (default 0) and limit (default 50, at most 200).")
            .Produces<LibraryPageDoc>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>
    /// The page (ids, added_at, total) comes from the read model in one indexed query; each track is
    /// then rendered from its own grain, the source of truth, so the listing shows exactly what
    /// GET /api/tracks/{id} shows (enrichment attempts included, which the read model does not hold).
    /// </summary>
    public static async Task<IResult> GetLibrary(HttpContext context, IGrainFactory grains)
    {
        if (CurrentUser.SpotifyUserId(context.User) is not { } userId)
        {
            return CurrentUser.SpotifyUserRequired("The library");
        }
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

        var page = await grains.GetGrain<ILibraryGrain>(userId).GetLibraryPageAsync(offset, limit);
        var views = await Task.WhenAll(page.Entries.Select(e => grains.GetGrain<ITrackGrain>(e.TrackId).PeekAsync()));
        return new JsonWriterResult(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", page.Total);
            w.WriteNumber("offset", offset);
            w.WriteNumber("limit", limit);
            w.WriteStartArray("tracks");
            for (var i = 0; i < views.Length; i++)
            {
                TrackJson.Write(w, views[i], page.Entries[i].AddedAt);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}

/// <summary>Documentation shape for the OpenAPI document; the response is written by <see cref="TrackJson"/>.</summary>
public sealed record LibraryPageDoc(int Total, int Offset, int Limit, List<TrackDoc> Tracks);
