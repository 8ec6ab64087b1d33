using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Options;

namespace TrackGrains.Grains.Spotify;

/// <summary>
/// Typed client for the Spotify Web API, called with the user's own token. The token is used for
/// the call only: never stored, never logged.
/// </summary>
public sealed class SpotifyApiClient(IHttpClientFactory httpClients, IOptions<SpotifyOptions> options, TimeProvider time)
{
    public const string HttpClientName = "spotify";

    public async Task<SpotifyUser> GetMeAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonAsync("v1/me", accessToken, cancellationToken);
        var root = document.RootElement;
        var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        if (string.IsNullOrEmpty(id))
        {
            throw new SpotifyApiException(502, "the /v1/me answer had no user id");
        }
        return new SpotifyUser(
            id,
            root.TryGetProperty("account_id", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
            root.TryGetProperty("display_name", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null);
    }

    /// <summary>GETs a path (relative to the API base) or an absolute URL Spotify handed out (a paging <c>next</c>).</summary>
    public async Task<JsonDocument> GetJsonAsync(string pathOrUrl, string accessToken, CancellationToken cancellationToken)
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
                    response.Headers.RetryAfter?.Delta);
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
