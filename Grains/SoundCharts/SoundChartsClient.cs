using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TrackGrains.Grains.Json;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Options;

namespace TrackGrains.Grains.SoundCharts;

/// <summary>
/// Typed client for SoundCharts' song-by-Spotify-id endpoint. Makes exactly one HTTP call per
/// invocation and classifies the answer; retrying is the caller's business, because every call
/// must hold its own permit.
/// </summary>
public sealed class SoundChartsClient(IHttpClientFactory httpClients, IOptions<SoundChartsOptions> options, TimeProvider time)
{
    public const string HttpClientName = "soundcharts";

    public async Task<SoundChartsResponse> GetSongAsync(string spotifyId, string appId, string apiKey, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(options.Value.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v2.25/song/by-platform/spotify/{Uri.EscapeDataString(spotifyId)}");
        request.Headers.TryAddWithoutValidation("x-app-id", appId);
        request.Headers.TryAddWithoutValidation("x-api-key", apiKey);

        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var headers = SoundChartsHeaders.From(response.Headers);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return Classify(response.StatusCode, headers, body, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new SoundChartsResponse(CallOutcome.Transient, null, SoundChartsHeaders.None, null, null,
                $"SoundCharts did not answer within {options.Value.RequestTimeout.TotalSeconds:0.#} s", Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            return new SoundChartsResponse(CallOutcome.Transient, null, SoundChartsHeaders.None, null, null,
                $"Connection to SoundCharts failed: {ex.HttpRequestError}", Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Asks the free usage endpoint (GET /api/v2/team/usage) for the key's quota and rate limit, so a new
    /// key's state is known before any quota is spent on it. Never throws for upstream trouble.
    /// </summary>
    public async Task<KeyUsage> GetUsageAsync(string appId, string apiKey, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v2/team/usage");
        request.Headers.TryAddWithoutValidation("x-app-id", appId);
        request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => ReadUsage(body),
                HttpStatusCode.Unauthorized => new KeyUsage(CallOutcome.Unauthorized, null, null, null, null, ErrorMessage(body)),
                _ => KeyUsage.Unavailable($"HTTP {(int)response.StatusCode}"),
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return KeyUsage.Unavailable("timed out");
        }
        catch (HttpRequestException ex)
        {
            return KeyUsage.Unavailable(ex.HttpRequestError.ToString());
        }
    }

    internal static KeyUsage ReadUsage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return KeyUsage.Unavailable("usage body is not an object");
            }
            var quota = JsonFields.Object(root, "quota");
            var rate = JsonFields.Object(root, "rateLimit");
            return new KeyUsage(
                CallOutcome.Success,
                quota is { } q ? JsonFields.Integer(q, "remaining") : null,
                rate is { } r1 ? JsonFields.Integer(r1, "limit") : null,
                rate is { } r2 ? JsonFields.Integer(r2, "remaining") : null,
                rate is { } r3 ? JsonFields.Integer(r3, "reset") : null,
                null);
        }
        catch (JsonException)
        {
            return KeyUsage.Unavailable("usage body is not JSON");
        }
    }

    internal static SoundChartsResponse Classify(HttpStatusCode status, SoundChartsHeaders headers, string body, TimeSpan elapsed)
    {
        var code = (int)status;
        if (code == 200)
        {
            var song = SongParser.TryParse(body);
            return song is null
                ? new SoundChartsResponse(CallOutcome.Transient, code, headers, null, null, "SoundCharts sent a 200 whose body is not a song document", elapsed)
                : new SoundChartsResponse(CallOutcome.Success, code, headers, body, song, null, elapsed);
        }

        var message = ErrorMessage(body);
        var outcome = code switch
        {
            404 => CallOutcome.NotFound,
            410 => CallOutcome.Gone,
            401 => CallOutcome.Unauthorized,
            403 => CallOutcome.Forbidden,
            429 when message?.Contains("maximum request count", StringComparison.OrdinalIgnoreCase) == true => CallOutcome.RateLimited,
            429 when message?.Contains("quota", StringComparison.OrdinalIgnoreCase) == true => CallOutcome.QuotaReached,
            // A 429 that says neither is most likely the per-minute limit with an unexpected text: resting is the safe reading.
            429 => CallOutcome.RateLimited,
            _ => CallOutcome.Transient,
        };
        return new SoundChartsResponse(outcome, code, headers, null, null, $"HTTP {code}: {message ?? "no error message"}", elapsed);
    }

    /// <summary>errors[0].message, then a top-level message, then a short slice of the raw text (a gateway page).</summary>
    internal static string? ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    && errors[0].ValueKind == JsonValueKind.Object
                    && errors[0].TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    return m.GetString();
                }
                if (root.TryGetProperty("message", out var top) && top.ValueKind == JsonValueKind.String)
                {
                    return top.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }
        var text = body.Trim().ReplaceLineEndings(" ");
        return text.Length > 200 ? text[..200] : text;
    }
}
