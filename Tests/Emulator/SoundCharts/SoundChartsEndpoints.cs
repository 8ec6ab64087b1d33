using System.Globalization;
using System.Text.Json;

namespace TrackGrains.Emulator.SoundCharts;

/// <summary>
/// The SoundCharts HTTP surface. Order of checks per song call: credentials (401), plan (403),
/// fault plan, rate-limit window (429), quota (429), then the catalogue (200 / 404 / 410). Gateway
/// faults (500, 502, 503) sit in front of the accounting: no quota, no window. A hang, a malformed 200
/// and a connection reset happen after the accounting, as they would at SoundCharts: the call was
/// counted and billed, whatever the client saw.
/// </summary>
internal static class SoundChartsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        endpoints.MapGet("/api/v2.25/song/by-platform/{platform}/{identifier}", context => GetSong(context, state));

        // Answer (no quota, no window):
        // {"quota":{"limit":L,"remaining":R,"overageAllowance":O},
        //  "rateLimit":{"limit":N,"remaining":M,"used":U,"reset":S,"windowSeconds":W}}
        // where reset is seconds until the current window ends (the full window when none is open).
        endpoints.MapGet("/api/v2/team/usage", context => GetUsage(context, state));
    }

    private static async Task GetSong(HttpContext context, EmulatorState state)
    {
        var soundCharts = state.SoundCharts;
        var counters = soundCharts.Counters;
        counters.SongCall();
        var key = Authenticate(context, soundCharts);
        if (key is null)
        {
            counters.Answered(401, AdmissionVerdict.Admitted);
            await WriteError(context, 401, "auth", "Invalid credentials: check x-app-id and x-api-key");
            return;
        }

        var appId = key.Options.AppId;
        var trackId = (string)context.Request.RouteValues["identifier"]!;
        var callNumber = counters.KeyCall(appId, trackId);
        counters.InFlight(appId, key.EnterFlight());
        try
        {
            await Answer(context, state, key, trackId, callNumber);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout during a hang or latency): nothing left to answer.
        }
        finally
        {
            key.ExitFlight();
        }
    }

    private static async Task Answer(HttpContext context, EmulatorState state, SoundChartsKey key, string trackId, long callNumber)
    {
        var soundCharts = state.SoundCharts;
        var counters = soundCharts.Counters;
        var now = state.Time.GetUtcNow();
        var platform = (string)context.Request.RouteValues["platform"]!;

        var fault = soundCharts.PlanFault(trackId, callNumber);
        var billedFault = fault is FaultKind.Hang or FaultKind.MalformedJson or FaultKind.ConnectionReset;
        var headersSent = fault is not (FaultKind.BadGateway or FaultKind.ServiceUnavailable or FaultKind.Hang or FaultKind.ConnectionReset);
        var availability = soundCharts.Resolve(trackId, now, record: fault is null);

        var cost = fault is not null && !billedFault ? AdmissionCost.Bypass
            : key.Options.PlanLacksEndpoint || platform != "spotify" || availability == SongAvailability.NotFound ? AdmissionCost.Free
            : AdmissionCost.Unit;
        var admission = key.Admit(now, cost, sendsQuotaHeader: headersSent);
        if (billedFault && admission.Verdict != AdmissionVerdict.Admitted)
        {
            // Refused before any work was done: the client sees the 429, not the fault.
            fault = null;
            headersSent = true;
        }
        if (admission.ArrivedAfterQuotaExhausted)
        {
            counters.ArrivedAfterQuotaExhausted(key.Options.AppId);
        }

        if (admission.ArrivedAfterRateLimited)
        {
            counters.ArrivedAfterRateLimited(key.Options.AppId);
        }

        var latency = soundCharts.PlanLatency(trackId, callNumber);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.RequestAborted);
        }

        if (headersSent)
        {
            WriteHeaders(context, key.Options, admission);
        }

        if (fault is { } kind)
        {
            counters.Fault(kind);
            await WriteFault(context, state, kind, trackId);
            return;
        }

        switch (admission.Verdict)
        {
            case AdmissionVerdict.RateLimited:
                counters.Answered(429, admission.Verdict);
                await WriteError(context, 429, "rate_limit", "You have exceeded the maximum request count per minute");
                return;
            case AdmissionVerdict.QuotaExceeded:
                counters.Answered(429, admission.Verdict);
                await WriteError(context, 429, "quota", "Maximum quota reached");
                return;
        }

        if (key.Options.PlanLacksEndpoint)
        {
            counters.Answered(403, admission.Verdict);
            await WriteError(context, 403, "auth", "This endpoint is not included in your plan");
            return;
        }

        if (platform != "spotify")
        {
            counters.Answered(400, admission.Verdict);
            await WriteError(context, 400, "platform", $"Invalid platform code: {platform}");
            return;
        }

        switch (availability)
        {
            case SongAvailability.NotFound:
                counters.Answered(404, admission.Verdict);
                await WriteError(context, 404, "song", "Song not found");
                return;
            case SongAvailability.Gone:
                counters.Answered(410, admission.Verdict);
                await WriteError(context, 410, "song", "ISRC blacklisted due to multiple tracks identified from DSP");
                return;
        }

        counters.Answered(200, admission.Verdict);
        counters.Paid(trackId, now);
        await EmulatorJson.Write(context, 200, SongEnvelope(state, trackId));
    }

    private static async Task GetUsage(HttpContext context, EmulatorState state)
    {
        state.SoundCharts.Counters.UsageCall();
        if (!state.SoundCharts.Settings.UsageEndpointAvailable)
        {
            await EmulatorJson.WriteRaw(context, 503, "text/plain", "upstream connect error or disconnect/reset before headers");
            return;
        }
        var key = Authenticate(context, state.SoundCharts);
        if (key is null)
        {
            await WriteError(context, 401, "auth", "Invalid credentials: check x-app-id and x-api-key");
            return;
        }

        var peek = key.Peek(state.Time.GetUtcNow());
        await EmulatorJson.Write(context, 200, new
        {
            quota = new { limit = key.Options.Quota, remaining = peek.QuotaRemaining, overageAllowance = key.Options.OverageAllowance },
            rateLimit = new
            {
                limit = peek.RateLimit,
                remaining = peek.RateRemaining,
                used = peek.RateUsed,
                reset = peek.RateResetSeconds,
                windowSeconds = (int)key.Options.RateLimitWindow.TotalSeconds,
            },
        });
    }

    private static SoundChartsKey? Authenticate(HttpContext context, SoundChartsState soundCharts)
    {
        var appId = context.Request.Headers["x-app-id"].ToString();
        var apiKey = context.Request.Headers["x-api-key"].ToString();
        var key = appId.Length == 0 ? null : soundCharts.GetKey(appId);
        return key is not null && string.Equals(key.Options.ApiKey, apiKey, StringComparison.Ordinal) ? key : null;
    }

    private static void WriteHeaders(HttpContext context, SoundChartsKeyOptions options, KeyAdmission admission)
    {
        var headers = context.Response.Headers;
        if (options.SendQuotaHeader)
        {
            headers["x-quota-remaining"] = admission.QuotaRemaining.ToString(CultureInfo.InvariantCulture);
        }

        if (options.SendRateLimitHeaders)
        {
            headers["x-ratelimit-limit"] = admission.RateLimit.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining"] = admission.RateRemaining.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset"] = admission.RateResetSeconds.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-used"] = admission.RateUsed.ToString(CultureInfo.InvariantCulture);
        }

        if (options.SendRequestId)
        {
            headers["x-request-id"] = Guid.NewGuid().ToString("N");
        }
    }

    private static async Task WriteFault(HttpContext context, EmulatorState state, FaultKind kind, string trackId)
    {
        switch (kind)
        {
            case FaultKind.ServerError:
                await WriteError(context, 500, "server", "Internal server error");
                break;
            case FaultKind.BadGateway:
                await EmulatorJson.WriteRaw(context, 502, "text/html",
                    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>");
                break;
            case FaultKind.ServiceUnavailable:
                await EmulatorJson.WriteRaw(context, 503, "text/plain", "upstream connect error or disconnect/reset before headers");
                break;
            case FaultKind.Hang:
                // Wall-clock on purpose: this exercises the client's HttpClient timeout, which runs on real time.
                await Task.Delay(state.SoundCharts.Settings.HangDuration, context.RequestAborted);
                await EmulatorJson.WriteRaw(context, 504, "text/html", "<html><body><h1>504 Gateway Time-out</h1></body></html>");
                break;
            case FaultKind.MalformedJson:
                var json = JsonSerializer.Serialize(SongEnvelope(state, trackId), EmulatorJson.Options);
                await EmulatorJson.WriteRaw(context, 200, "application/json; charset=utf-8", json[..(json.Length / 2)]);
                break;
            case FaultKind.ConnectionReset:
                context.Abort();
                break;
        }
    }

    private static object SongEnvelope(EmulatorState state, string trackId) => new
    {
        type = "song",
        @object = state.SoundCharts.Catalogue.GetSong(trackId),
        errors = Array.Empty<object>(),
    };

    private static Task WriteError(HttpContext context, int status, string key, string message) =>
        EmulatorJson.Write(context, status, new { errors = new[] { new { key, code = status, message } } });
}
