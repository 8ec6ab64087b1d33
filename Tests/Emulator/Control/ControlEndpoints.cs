using System.Text.Json;
using System.Text.Json.Nodes;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Emulator.Control;

/// <summary>
/// /_emulator: JSON control of an out-of-process emulator, for benchmarks and demo scripts.
/// Bodies use camelCase; enums are strings. Settings PATCHes merge the given fields into the
/// current settings. Missing user or key: 404. Bad body: 400.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        var group = endpoints.MapGroup("/_emulator");
        var soundCharts = state.SoundCharts;
        var spotify = state.Spotify;

        group.MapGet("/counters", context => EmulatorJson.Write(context, 200, new
        {
            soundCharts = soundCharts.Counters.Snapshot(includeTracks: context.Request.Query["tracks"] == "true"),
            spotify = spotify.Counters.Snapshot(),
        }));
        group.MapPost("/counters/reset", context =>
        {
            soundCharts.Counters.Reset();
            spotify.Counters.Reset();
            return NoContent(context);
        });
        group.MapPost("/reset", context =>
        {
            state.Reset();
            return NoContent(context);
        });

        group.MapGet("/soundcharts/keys", context => EmulatorJson.Write(context, 200, soundCharts.Keys.Select(KeyView)));
        group.MapPut("/soundcharts/keys", context => Body<SoundChartsKeyOptions>(context, key =>
            EmulatorJson.Write(context, 200, KeyView(soundCharts.AddOrReplaceKey(key)))));
        group.MapGet("/soundcharts/keys/{appId}", context => WithKey(context, soundCharts, key => EmulatorJson.Write(context, 200, KeyView(key))));
        group.MapDelete("/soundcharts/keys/{appId}", context =>
            soundCharts.RemoveKey(Route(context, "appId")) ? NoContent(context) : NotFound(context));
        group.MapPost("/soundcharts/keys/{appId}/quota", context => WithKey(context, soundCharts, key =>
            Body<QuotaRequest>(context, request =>
            {
                key.SetQuotaRemaining(request.Remaining);
                return EmulatorJson.Write(context, 200, KeyView(key));
            })));
        group.MapGet("/soundcharts/settings", context => EmulatorJson.Write(context, 200, soundCharts.Settings));
        group.MapPatch("/soundcharts/settings", async context =>
        {
            soundCharts.Settings = await Merge(context, soundCharts.Settings);
            await EmulatorJson.Write(context, 200, soundCharts.Settings);
        });
        group.MapGet("/soundcharts/songs/{id}", context =>
        {
            var id = Route(context, "id");
            return EmulatorJson.Write(context, 200, new { availability = soundCharts.GetAvailability(id), song = soundCharts.Catalogue.GetSong(id) });
        });
        group.MapPut("/soundcharts/songs/{id}/availability", context => Body<AvailabilityRequest>(context, request =>
        {
            soundCharts.SetAvailability(Route(context, "id"), request.Availability);
            return NoContent(context);
        }));
        group.MapDelete("/soundcharts/songs/{id}/availability", context =>
        {
            soundCharts.ClearAvailability(Route(context, "id"));
            return NoContent(context);
        });

        group.MapPost("/spotify/users", context => Body<SpotifyUserOptions>(context, options =>
            EmulatorJson.Write(context, 200, UserView(spotify.AddUser(options)))));
        group.MapGet("/spotify/users/{userId}", context => WithUser(context, spotify, user =>
            EmulatorJson.Write(context, 200, new { user = UserView(user), library = user.Library })));
        group.MapPost("/spotify/users/{userId}/tracks", context => WithUser(context, spotify, user =>
            Body<CountRequest>(context, request =>
                EmulatorJson.Write(context, 200, spotify.AddTracks(user.UserId, request.Count)))));
        group.MapPost("/spotify/users/{userId}/tracks/remove", context => WithUser(context, spotify, user =>
            Body<IdsRequest>(context, request =>
                EmulatorJson.Write(context, 200, new { removed = user.RemoveTracks(request.Ids) }))));
        group.MapPost("/spotify/tokens", context => Body<TokenRequest>(context, request =>
        {
            if (spotify.GetUser(request.UserId) is null)
            {
                return NotFound(context);
            }

            spotify.AddToken(request.Token, request.UserId, request.ExpiresAfterCalls);
            return NoContent(context);
        }));
        group.MapPost("/spotify/tokens/{token}/expire", context =>
            spotify.ExpireToken(Route(context, "token")) ? NoContent(context) : NotFound(context));
        group.MapGet("/spotify/settings", context => EmulatorJson.Write(context, 200, spotify.Settings));
        group.MapPatch("/spotify/settings", async context =>
        {
            spotify.Settings = await Merge(context, spotify.Settings);
            await EmulatorJson.Write(context, 200, spotify.Settings);
        });
    }

    private static object KeyView(SoundChartsKey key) => new { options = key.Options, quotaRemaining = key.QuotaRemaining };

    private static object UserView(SpotifyUser user) => new
    {
        userId = user.UserId,
        displayName = user.DisplayName,
        accountId = user.AccountId,
        librarySize = user.Library.Count,
        playlists = user.Playlists.Select(p => new { p.Id, p.Name, total = p.Items.Count }),
    };

    private static Task WithKey(HttpContext context, SoundChartsState soundCharts, Func<SoundChartsKey, Task> then) =>
        soundCharts.GetKey(Route(context, "appId")) is { } key ? then(key) : NotFound(context);

    private static Task WithUser(HttpContext context, SpotifyState spotify, Func<SpotifyUser, Task> then) =>
        spotify.GetUser(Route(context, "userId")) is { } user ? then(user) : NotFound(context);

    private static async Task Body<T>(HttpContext context, Func<T, Task> then)
        where T : class
    {
        T? body;
        try
        {
            body = await EmulatorJson.Read<T>(context);
        }
        catch (JsonException e)
        {
            await EmulatorJson.Write(context, 400, new { error = e.Message });
            return;
        }

        if (body is null)
        {
            await EmulatorJson.Write(context, 400, new { error = "A JSON body is required." });
            return;
        }

        await then(body);
    }

    /// <summary>Overlays the request's JSON fields (any casing) on the current settings.</summary>
    private static async Task<T> Merge<T>(HttpContext context, T current)
    {
        var merged = JsonSerializer.SerializeToNode(current, EmulatorJson.Options)!.AsObject();
        if (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) is JsonObject patch)
        {
            foreach (var (name, value) in patch)
            {
                var existing = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                merged[existing ?? name] = value?.DeepClone();
            }
        }

        return merged.Deserialize<T>(EmulatorJson.Options)!;
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    private static Task NoContent(HttpContext context)
    {
        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }
}
