using System.Globalization;
using System.Text.Json.Nodes;
using TrackGrains.Emulator.Determinism;

namespace TrackGrains.Emulator.Spotify;

/// <summary>The Spotify Web API surface under /v1.</summary>
internal static class SpotifyEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        endpoints.MapGet("/v1/me", context => Me(context, state));
        endpoints.MapGet("/v1/me/tracks", context => SavedTracks(context, state));
        endpoints.MapGet("/v1/me/playlists", context => Playlists(context, state));
        endpoints.MapGet("/v1/playlists/{id}/tracks", context => PlaylistTracks(context, state));
        endpoints.MapGet("/v1/tracks/{id}", context => Track(context, state));
        endpoints.MapGet("/v1/tracks", context => Tracks(context, state));
    }

    private static async Task Me(HttpContext context, EmulatorState state)
    {
        var user = await Authorize(context, state, "/v1/me");
        if (user is not null)
        {
            await Write(context, 200, SpotifyJson.User(user, BaseUrl(context)));
        }
    }

    private static async Task SavedTracks(HttpContext context, EmulatorState state)
    {
        var user = await Authorize(context, state, "/v1/me/tracks");
        if (user is null || await ReadPaging(context, maxLimit: 50, defaultLimit: 20) is not (var offset, var limit))
        {
            return;
        }

        var baseUrl = BaseUrl(context);
        var developmentMode = state.Spotify.Settings.DevelopmentMode;
        var (items, total) = user.Page(offset, limit);
        var array = new JsonArray(items.Select(item => (JsonNode)new JsonObject
        {
            ["added_at"] = FormatTime(item.AddedAt),
            ["track"] = SpotifyJson.Item(item, state.Spotify.Catalogue, baseUrl, developmentMode),
        }).ToArray());
        await Write(context, 200, SpotifyJson.Paging(baseUrl, "/v1/me/tracks", array, offset, limit, total));
    }

    private static async Task Playlists(HttpContext context, EmulatorState state)
    {
        var user = await Authorize(context, state, "/v1/me/playlists");
        if (user is null || await ReadPaging(context, maxLimit: 50, defaultLimit: 20) is not (var offset, var limit))
        {
            return;
        }

        var baseUrl = BaseUrl(context);
        var page = user.Playlists.Skip(offset).Take(limit).Select(p => (JsonNode)SpotifyJson.SimplifiedPlaylist(p, user, baseUrl));
        await Write(context, 200, SpotifyJson.Paging(baseUrl, "/v1/me/playlists", new JsonArray(page.ToArray()), offset, limit, user.Playlists.Count));
    }

    private static async Task PlaylistTracks(HttpContext context, EmulatorState state)
    {
        var user = await Authorize(context, state, "/v1/playlists/{id}/tracks");
        if (user is null || await ReadPaging(context, maxLimit: 100, defaultLimit: 100) is not (var offset, var limit))
        {
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        if (state.Spotify.FindPlaylist(id) is not (var playlist, var owner))
        {
            await Write(context, 404, SpotifyJson.Error(404, "Resource not found"));
            return;
        }

        var baseUrl = BaseUrl(context);
        var developmentMode = state.Spotify.Settings.DevelopmentMode;
        var items = playlist.Items.Skip(offset).Take(limit).Select(item => (JsonNode)new JsonObject
        {
            ["added_at"] = FormatTime(item.AddedAt),
            ["added_by"] = new JsonObject { ["id"] = owner.UserId, ["type"] = "user", ["uri"] = $"spotify:user:{owner.UserId}" },
            ["is_local"] = item.Kind == SavedItemKind.LocalFile,
            ["track"] = SpotifyJson.Item(item, state.Spotify.Catalogue, baseUrl, developmentMode),
        });
        await Write(context, 200, SpotifyJson.Paging(baseUrl, $"/v1/playlists/{id}/tracks", new JsonArray(items.ToArray()), offset, limit, playlist.Items.Count));
    }

    private static async Task Track(HttpContext context, EmulatorState state)
    {
        if (await Authorize(context, state, "/v1/tracks/{id}") is null)
        {
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        if (!SpotifyId.IsValid(id))
        {
            await Write(context, 400, SpotifyJson.Error(400, "Invalid base62 id"));
            return;
        }

        await Write(context, 200, SpotifyJson.Track(state.Spotify.Catalogue.GetTrack(id), BaseUrl(context), state.Spotify.Settings.DevelopmentMode));
    }

    private static async Task Tracks(HttpContext context, EmulatorState state)
    {
        if (await Authorize(context, state, "/v1/tracks") is null)
        {
            return;
        }

        var settings = state.Spotify.Settings;
        if (settings.DevelopmentMode)
        {
            // Closed to Development Mode apps since February/March 2026; 403 is what removed endpoints answer.
            await Write(context, 403, SpotifyJson.Error(403, "Forbidden"));
            return;
        }

        var ids = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length is 0 or > 50 || !ids.All(SpotifyId.IsValid))
        {
            await Write(context, 400, SpotifyJson.Error(400, ids.Length > 50 ? "Too many ids requested" : "Invalid base62 id"));
            return;
        }

        var baseUrl = BaseUrl(context);
        var tracks = ids.Select(id => (JsonNode)SpotifyJson.Track(state.Spotify.Catalogue.GetTrack(id), baseUrl, developmentMode: false));
        await Write(context, 200, new JsonObject { ["tracks"] = new JsonArray(tracks.ToArray()) });
    }

    /// <summary>Counts the call, applies latency, checks the token and the 429 schedule. Null = already answered.</summary>
    private static async Task<SpotifyUser?> Authorize(HttpContext context, EmulatorState state, string endpoint)
    {
        var spotify = state.Spotify;
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        var callNumber = spotify.Counters.ApiCall(endpoint, token);

        var settings = spotify.Settings;
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, context.RequestAborted);
        }

        if (string.IsNullOrEmpty(token))
        {
            spotify.Counters.UnauthorizedCall();
            await Write(context, 401, SpotifyJson.Error(401, "No token provided"));
            return null;
        }

        var found = spotify.GetToken(token);
        if (found is null || !found.TryUse(state.Time.GetUtcNow()))
        {
            spotify.Counters.UnauthorizedCall();
            await Write(context, 401, SpotifyJson.Error(401, found is null ? "Invalid access token" : "The access token expired"));
            return null;
        }

        if (settings.AppUsers is { } appUsers && !appUsers.Contains(found.User.UserId, StringComparer.Ordinal))
        {
            // What a Development Mode app gets for a user its owner did not add under User Management.
            await Write(context, 403, SpotifyJson.Error(403, "Check settings on developer.spotify.com/dashboard, the user may not be registered."));
            return null;
        }

        if (Every(settings.ConnectionResetEveryN, callNumber))
        {
            spotify.Counters.FaultCall();
            context.Abort();
            return null;
        }
        if (Every(settings.HangEveryN, callNumber))
        {
            spotify.Counters.FaultCall();
            try
            {
                await Task.Delay(settings.HangDuration, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
        if (Every(settings.ServerErrorEveryN, callNumber))
        {
            spotify.Counters.FaultCall();
            await WriteServerError(context, callNumber);
            return null;
        }

        if (Every(settings.RateLimitEveryN, callNumber))
        {
            spotify.Counters.RateLimitedCall();
            context.Response.Headers.RetryAfter = "1";
            await Write(context, 429, SpotifyJson.Error(429, "API rate limit exceeded"));
            return null;
        }
        if (spotify.RateWindow.Admit(settings, state.Time.GetUtcNow()) is { } wait)
        {
            spotify.Counters.RateLimitedCall();
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Write(context, 429, SpotifyJson.Error(429, "API rate limit exceeded"));
            return null;
        }

        return found.User;
    }

    private static bool Every(int? n, long callNumber) => n is > 0 and var every && callNumber % every == 0;

    /// <summary>The 5xx kinds Spotify's edge really sends: a JSON 500, an HTML 502 from the gateway, a 503.</summary>
    private static async Task WriteServerError(HttpContext context, long callNumber)
    {
        switch (callNumber % 3)
        {
            case 0:
                await Write(context, 500, SpotifyJson.Error(500, "Server error."));
                break;
            case 1:
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                break;
            default:
                await Write(context, 503, SpotifyJson.Error(503, "Service unavailable"));
                break;
        }
    }

    /// <summary>limit and offset as Spotify validates them; answers 400 and returns null when invalid.</summary>
    private static async Task<(int Offset, int Limit)?> ReadPaging(HttpContext context, int maxLimit, int defaultLimit)
    {
        var query = context.Request.Query;
        var limit = defaultLimit;
        var offset = 0;
        if ((query.ContainsKey("limit") && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
            || (query.ContainsKey("offset") && (!int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0)))
        {
            await Write(context, 400, SpotifyJson.Error(400, query.ContainsKey("limit") && (limit < 1 || limit > maxLimit) ? "Invalid limit" : "Invalid offset"));
            return null;
        }

        return (offset, limit);
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static Task Write(HttpContext context, int status, JsonNode body) =>
        EmulatorJson.WriteNode(context, status, body);
}
