using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using TrackGrains.Grains.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Options;

namespace TrackGrains.Grains.Spotify;

/// <summary>
/// Typed client for the Spotify Web API, called with the user's own token. The token is used for
/// the call only: never stored, never logged.
/// </summary>
public sealed class SpotifyApiClient(
    IHttpClientFactory httpClients,
    IOptions<SpotifyOptions> options,
    TimeProvider time,
    ILogger<SpotifyApiClient> logger)
{
    public const string HttpClientName = "spotify";

    /// <summary>How often one call waits out a 429 before giving up.</summary>
    public const int MaxRateLimitRetries = 5;

    /// <summary>A longer Retry-After (a quota 429 can ask for hours) ends the call instead of holding it.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>How often one call is tried again after a 5xx, a timeout or a broken connection.</summary>
    public const int MaxTransientRetries = 3;

    /// <summary>The first wait after a transient fault; it doubles with each try.</summary>
    private static readonly TimeSpan TransientRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>A 429 without Retry-After waits this long.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>One page of the user's saved tracks (at most 50), newest first as Spotify lists them.</summary>
    public async Task<SpotifyPage<SpotifyLibraryItem>> GetSavedTracksAsync(string accessToken, int offset, int limit = 50, CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonWithRetryAsync(Paged("v1/me/tracks", offset, limit), accessToken, cancellationToken);
        return ReadPage(document.RootElement, SpotifyLibraryItem.Read);
    }

    /// <summary>One page of the user's playlists (at most 50).</summary>
    public async Task<SpotifyPage<SpotifyPlaylistRef>> GetPlaylistsAsync(string accessToken, int offset, int limit = 50, CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonWithRetryAsync(Paged("v1/me/playlists", offset, limit), accessToken, cancellationToken);
        return ReadPage(document.RootElement, ReadPlaylist);
    }

    /// <summary>One page of a playlist's items (at most 100); the items can be episodes, local files or null.</summary>
    public async Task<SpotifyPage<SpotifyLibraryItem>> GetPlaylistTracksAsync(string accessToken, string playlistId, int offset, int limit = 100, CancellationToken cancellationToken = default)
    {
        var path = Paged($"v1/playlists/{Uri.EscapeDataString(playlistId)}/tracks", offset, limit);
        using var document = await GetJsonWithRetryAsync(path, accessToken, cancellationToken);
        return ReadPage(document.RootElement, SpotifyLibraryItem.Read);
    }

    /// <summary>
    /// One track object, as Spotify sent it. (The batch form <c>/v1/tracks?ids=</c> is closed to
    /// Development Mode apps, so there is none here.)
    /// </summary>
    public async Task<string> GetTrackJsonAsync(string accessToken, string trackId, CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonWithRetryAsync($"v1/tracks/{Uri.EscapeDataString(trackId)}", accessToken, cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new SpotifyApiException(502, "the track answer was not a JSON object");
        }
        return document.RootElement.GetRawText();
    }

    /// <summary>
    /// <see cref="GetJsonAsync"/>, waiting out 429s as Spotify asks (Retry-After), and trying again
    /// after a 5xx, a timeout or a reset connection, each a bounded number of times. The paths are built here rather than taken from Spotify's <c>next</c> links, so the
    /// user's token only ever goes to the configured API host.
    /// </summary>
    private async Task<JsonDocument> GetJsonWithRetryAsync(string path, string accessToken, CancellationToken cancellationToken)
    {
        var rateLimited = 0;
        var transient = 0;
        while (true)
        {
            try
            {
                return await GetJsonAsync(path, accessToken, cancellationToken);
            }
            catch (SpotifyApiException ex) when (ex.Status == 429 && ++rateLimited <= MaxRateLimitRetries
                && (ex.RetryAfter ?? DefaultRetryAfter) <= MaxRetryAfter)
            {
                var wait = ex.RetryAfter is { } after && after > TimeSpan.Zero ? after : DefaultRetryAfter;
                SpotifyLog.RateLimited(logger, path, wait, rateLimited);
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (SpotifyApiException ex) when (ex.Status >= 500 && ++transient <= MaxTransientRetries)
            {
                var wait = TransientRetryDelay * Math.Pow(2, transient - 1);
                SpotifyLog.TransientFault(logger, path, ex.Status, wait, transient);
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    private static string Paged(string path, int offset, int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}?limit={limit}&offset={offset}");

    private static SpotifyPage<T> ReadPage<T>(JsonElement root, Func<JsonElement, T> read)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SpotifyApiException(502, "the paging answer was not a JSON object");
        }
        var items = root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(read).ToList()
            : [];
        return new SpotifyPage<T>(items, JsonFields.String(root, "next") is { Length: > 0 }, JsonFields.Integer(root, "total"));
    }

    private static SpotifyPlaylistRef ReadPlaylist(JsonElement playlist) =>
        JsonFields.String(playlist, "id") is { Length: > 0 } id
            ? new SpotifyPlaylistRef(id, JsonFields.String(playlist, "name"),
                JsonFields.Object(playlist, "tracks") is { } tracks ? JsonFields.Integer(tracks, "total") : null)
            : new SpotifyPlaylistRef("", null, null);

    public async Task<SpotifyUser> GetMeAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonAsync("v1/me", accessToken, cancellationToken);
        var root = document.RootElement;
        if (JsonFields.String(root, "id") is not { Length: > 0 } id)
        {
            throw new SpotifyApiException(502, "the /v1/me answer had no user id");
        }
        return new SpotifyUser(id, JsonFields.String(root, "account_id"), JsonFields.String(root, "display_name"));
    }

    /// <summary>GETs a path relative to the configured API base.</summary>
    private async Task<JsonDocument> GetJsonAsync(string pathOrUrl, string accessToken, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        using var timeout = new CancellationTokenSource(options.Value.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, pathOrUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SpotifyApiException(504, "Spotify did not answer in time");
        }
        catch (HttpRequestException ex)
        {
            throw new SpotifyApiException(502, $"could not reach Spotify ({ex.HttpRequestError})");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new SpotifyApiException((int)response.StatusCode, ErrorMessage(body) ?? response.ReasonPhrase ?? "error",
                    RetryAfter(response.Headers.RetryAfter));
            }
            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                throw new SpotifyApiException(502, "Spotify sent a body that is not JSON");
            }
        }
    }

    /// <summary>Retry-After as seconds or as an HTTP date.</summary>
    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);

    private static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    return m.GetString();
                }
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON; the status says enough.
        }
        return null;
    }
}
