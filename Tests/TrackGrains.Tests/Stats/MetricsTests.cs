using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

[Collection(MetricsCollection.Name)]
public sealed class MetricsTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Metrics_scrape_shows_the_counters_moving()
    {
        var before = await ScrapeAsync();

        var id = TestIds.Track();
        var gone = TestIds.Track();
        server.Emulator.State.SoundCharts.SetAvailability(gone, SongAvailability.Gone);
        for (var i = 0; i < 3; i++)
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        using (await server.User.GetAsync($"/api/tracks/{gone}"))
        {
        }
        // Makes the usage flush run, which also refreshes the retry-queue gauge.
        await server.Admin.GetFromJsonAsync<JsonElement>("/api/stats");

        var after = await ScrapeAsync();
        Assert.Equal(5, after.Sum("trackgrains_api_requests_total") - before.Sum("trackgrains_api_requests_total"));
        Assert.Equal(2, after.Sum("trackgrains_cache_hits_total") - before.Sum("trackgrains_cache_hits_total"));
        Assert.Equal(1, after.Sum("trackgrains_soundcharts_calls_total", "outcome=\"success\"") - before.Sum("trackgrains_soundcharts_calls_total", "outcome=\"success\""));
        Assert.Equal(1, after.Sum("trackgrains_soundcharts_calls_total", "outcome=\"gone\"") - before.Sum("trackgrains_soundcharts_calls_total", "outcome=\"gone\""));
        Assert.True(after.Has("trackgrains_api_request_duration_milliseconds_count"));

        var quota = server.Emulator.State.SoundCharts.GetKey("app-1")!.QuotaRemaining;
        Assert.Equal(quota, after.Sum("trackgrains_soundcharts_key_quota_remaining"));
        Assert.True(after.Has("trackgrains_retry_queue_depth"));
        Assert.Equal(0, after.Sum("trackgrains_retry_queue_depth"));

        // Orleans' own meters and the ASP.NET Core instrumentation are exported too.
        Assert.Contains("orleans_", after.Text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", after.Text, StringComparison.Ordinal);
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        // Anonymous on purpose: /metrics is open by default (loopback-only binding; Metrics:RequireAdmin closes it).
        using var response = await server.Anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }
}
