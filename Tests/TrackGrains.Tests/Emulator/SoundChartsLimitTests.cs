using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Tests.Emulator;

public sealed class SoundChartsLimitTests
{
    [Fact]
    public async Task Spent_quota_answers_maximum_quota_reached_and_counts_calls_after_it()
    {
        await using var host = await EmulatorHost.StartAsync(o =>
        {
            o.SoundChartsKeys.Clear();
            o.SoundChartsKeys.Add(new SoundChartsKeyOptions { AppId = EmulatorHost.AppId, ApiKey = EmulatorHost.ApiKey, Quota = 2 });
        });

        Assert.Equal("1", (await host.GetSong(TestIds.Track(1))).Header("x-quota-remaining"));
        Assert.Equal("0", (await host.GetSong(TestIds.Track(2))).Header("x-quota-remaining"));
        using var spent = await host.GetSong(TestIds.Track(3));
        await host.GetSong(TestIds.Track(4));

        Assert.Equal(429, (int)spent.StatusCode);
        Assert.Equal("Maximum quota reached", await spent.SoundChartsError());
        var counters = host.State.SoundCharts.Counters;
        Assert.Equal(2, counters.QuotaExceeded);
        Assert.Equal(2, counters.CallsAfterQuotaExhausted(EmulatorHost.AppId));
        Assert.Equal(0, counters.RateLimited);
    }

    [Fact]
    public async Task Overage_allows_calls_past_zero_before_the_quota_429()
    {
        await using var host = await EmulatorHost.StartAsync(o =>
        {
            o.SoundChartsKeys.Clear();
            o.SoundChartsKeys.Add(new SoundChartsKeyOptions { AppId = EmulatorHost.AppId, ApiKey = EmulatorHost.ApiKey, Quota = 1, OverageAllowance = 1 });
        });

        var statuses = new List<int>();
        for (var n = 0; n < 3; n++)
        {
            statuses.Add((int)(await host.GetSong(TestIds.Track(n))).StatusCode);
        }

        Assert.Equal([200, 200, 429], statuses);
    }

    [Fact]
    public async Task Rate_limit_window_answers_maximum_request_count_with_reset_seconds_rounded_up()
    {
        await using var host = await EmulatorHost.StartAsync(o =>
        {
            o.SoundChartsKeys.Clear();
            o.SoundChartsKeys.Add(new SoundChartsKeyOptions { AppId = EmulatorHost.AppId, ApiKey = EmulatorHost.ApiKey, RateLimit = 2 });
        });

        using var first = await host.GetSong(TestIds.Track(1));
        Assert.Equal(("2", "1", "60", "1"), (first.Header("x-ratelimit-limit"), first.Header("x-ratelimit-remaining"), first.Header("x-ratelimit-reset"), first.Header("x-ratelimit-used")));
        await host.GetSong(TestIds.Track(2));
        using var limited = await host.GetSong(TestIds.Track(3));
        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Contains("maximum request count", await limited.SoundChartsError());
        Assert.Equal("60", limited.Header("x-ratelimit-reset"));

        host.Time.Advance(TimeSpan.FromSeconds(30.5));
        using var stillLimited = await host.GetSong(TestIds.Track(3));
        Assert.Equal(429, (int)stillLimited.StatusCode);
        Assert.Equal("30", stillLimited.Header("x-ratelimit-reset"));

        host.Time.Advance(TimeSpan.FromSeconds(29.5));
        using var nextWindow = await host.GetSong(TestIds.Track(3));
        Assert.Equal(200, (int)nextWindow.StatusCode);
        Assert.Equal("1", nextWindow.Header("x-ratelimit-remaining"));

        var counters = host.State.SoundCharts.Counters;
        Assert.Equal(2, counters.RateLimited);
        Assert.Equal(1, counters.CallsAfterRateLimited(EmulatorHost.AppId));
        Assert.Equal(0, counters.QuotaExceeded);
        Assert.Equal(997, host.State.SoundCharts.GetKey(EmulatorHost.AppId)!.QuotaRemaining);
    }

    [Fact]
    public async Task Header_switches_turn_each_group_off()
    {
        await using var host = await EmulatorHost.StartAsync(o => o.SoundChartsKeys.Add(new SoundChartsKeyOptions
        {
            AppId = "quiet",
            ApiKey = "k",
            SendQuotaHeader = false,
            SendRateLimitHeaders = false,
            SendRequestId = false,
        }));
        string[] names = ["x-quota-remaining", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-used", "x-request-id"];

        using var loud = await host.GetSong(TestIds.Track(1));
        using var quiet = await host.GetSong(TestIds.Track(1), "quiet", "k");

        Assert.All(names, n => Assert.NotNull(loud.Header(n)));
        Assert.All(names, n => Assert.Null(quiet.Header(n)));
    }

    [Fact]
    public async Task In_flight_calls_per_key_are_measured()
    {
        await using var host = await EmulatorHost.StartAsync(o => o.SoundCharts = new SoundChartsSettings { Latency = TimeSpan.FromMilliseconds(300) });

        await Task.WhenAll(Enumerable.Range(0, 3).Select(n => host.GetSong(TestIds.Track(n))));

        Assert.Equal(3, host.State.SoundCharts.Counters.MaxInFlight(EmulatorHost.AppId));
        Assert.Equal(3, host.State.SoundCharts.Counters.CallsForKey(EmulatorHost.AppId));
    }
}
