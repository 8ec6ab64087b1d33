using System.Text.Json;
using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Tests.Emulator;

public sealed class SoundChartsFaultTests
{
    private static readonly FaultKind[] QuickFaults = [FaultKind.ServerError, FaultKind.BadGateway, FaultKind.ServiceUnavailable, FaultKind.MalformedJson];

    [Fact]
    public async Task Faults_repeat_exactly_for_the_same_seed_and_retries_can_succeed()
    {
        var settings = new SoundChartsSettings { TransientFaultRate = 0.4, FaultKinds = QuickFaults };
        await using var first = await EmulatorHost.StartAsync(o => o.SoundCharts = settings);
        await using var second = await EmulatorHost.StartAsync(o => o.SoundCharts = settings);

        var a = await Statuses(first);
        var b = await Statuses(second);

        Assert.Equal(a, b);
        Assert.Contains(a, s => s.Faulted);
        Assert.Contains(a, s => s.Faulted && s.Call == 0 && a.Any(r => r.Track == s.Track && r.Call > 0 && !r.Faulted));
        var counters = first.State.SoundCharts.Counters;
        Assert.Equal(a.Count(s => s.Faulted), counters.TotalFaults);

        // Gateway faults cost nothing; a malformed 200 was billed like a good answer, as SoundCharts would bill it.
        Assert.True(counters.Faults(FaultKind.MalformedJson) > 0);
        Assert.Equal(1000 - counters.Ok - counters.Faults(FaultKind.MalformedJson), first.State.SoundCharts.GetKey(EmulatorHost.AppId)!.QuotaRemaining);
    }

    [Fact]
    public async Task Each_fault_kind_looks_like_what_a_client_would_meet()
    {
        await using var host = await EmulatorHost.StartAsync();
        var soundCharts = host.State.SoundCharts;

        soundCharts.Settings = new SoundChartsSettings { TransientFaultRate = 1, FaultKinds = [FaultKind.BadGateway] };
        using var badGateway = await host.GetSong(TestIds.Track(1));
        Assert.Equal(502, (int)badGateway.StatusCode);
        Assert.StartsWith("<html>", await badGateway.Content.ReadAsStringAsync());
        Assert.Null(badGateway.Header("x-quota-remaining"));

        soundCharts.Settings = new SoundChartsSettings { TransientFaultRate = 1, FaultKinds = [FaultKind.ServerError] };
        using var serverError = await host.GetSong(TestIds.Track(1));
        Assert.Equal(500, (int)serverError.StatusCode);
        Assert.NotNull(await serverError.SoundChartsError());

        soundCharts.Settings = new SoundChartsSettings { TransientFaultRate = 1, FaultKinds = [FaultKind.MalformedJson] };
        using var malformed = await host.GetSong(TestIds.Track(1));
        Assert.Equal(200, (int)malformed.StatusCode);
        var text = await malformed.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        // Billed after the quota was taken, and the header says so.
        Assert.Equal("999", malformed.Header("x-quota-remaining"));

        soundCharts.Settings = new SoundChartsSettings { TransientFaultRate = 1, FaultKinds = [FaultKind.ConnectionReset] };
        await Assert.ThrowsAsync<HttpRequestException>(() => host.GetSong(TestIds.Track(1)));

        // The 502 and the 500 cost nothing; the malformed 200 and the reset cost one unit each.
        Assert.Equal(998, soundCharts.GetKey(EmulatorHost.AppId)!.QuotaRemaining);
        Assert.Equal(1, soundCharts.Counters.Faults(FaultKind.ConnectionReset));
    }

    [Fact]
    public async Task A_billed_fault_on_a_spent_key_is_a_quota_429_not_a_fault()
    {
        await using var host = await EmulatorHost.StartAsync();
        var soundCharts = host.State.SoundCharts;
        soundCharts.GetKey(EmulatorHost.AppId)!.SetQuotaRemaining(0);
        soundCharts.Settings = new SoundChartsSettings { TransientFaultRate = 1, FaultKinds = [FaultKind.ConnectionReset] };
        using var refused = await host.GetSong(TestIds.Track(1));
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal(0, soundCharts.Counters.TotalFaults);
    }

    [Fact]
    public async Task A_hang_ends_when_the_client_gives_up()
    {
        await using var host = await EmulatorHost.StartAsync(o => o.SoundCharts = new SoundChartsSettings
        {
            TransientFaultRate = 1,
            FaultKinds = [FaultKind.Hang],
            HangDuration = TimeSpan.FromMinutes(5),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.GetSong(TestIds.Track(1), cancellationToken: timeout.Token));

        Assert.Equal(1, host.State.SoundCharts.Counters.Faults(FaultKind.Hang));
        // The client never saw an answer, but the call was billed.
        Assert.Equal(999, host.State.SoundCharts.GetKey(EmulatorHost.AppId)!.QuotaRemaining);
    }

    private static async Task<List<(string Track, int Call, bool Faulted)>> Statuses(EmulatorHost host)
    {
        var results = new List<(string, int, bool)>();
        for (var n = 0; n < 20; n++)
        {
            for (var call = 0; call < 3; call++)
            {
                using var response = await host.GetSong(TestIds.Track(n));
                var text = await response.Content.ReadAsStringAsync();
                var faulted = (int)response.StatusCode != 200 || !IsJson(text);
                results.Add((TestIds.Track(n), call, faulted));
            }
        }

        return results;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
