using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Keys;
using TrackGrains.Grains.Usage;

namespace TrackGrains.Tests.Stats;

public sealed class UsageCountersTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 23, 59, 59, TimeSpan.Zero));
    private readonly UsageCounters _counters;

    public UsageCountersTests()
    {
        // The key directory is only read by the quota gauge, which these tests never collect.
        var metrics = new TrackGrainsMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), new KeyDirectory(null!, _time));
        _counters = new UsageCounters(_time, metrics);
    }

    [Fact]
    public void Counts_are_split_by_UTC_day_and_failed_calls_follow_the_definition()
    {
        _counters.Request(TimeSpan.FromMilliseconds(0.4));
        _counters.Request(TimeSpan.FromMilliseconds(0.4));
        _counters.Request(TimeSpan.FromMilliseconds(0.4));
        _counters.CacheHit();
        _time.Advance(TimeSpan.FromSeconds(2));
        foreach (var outcome in Enum.GetValues<CallOutcome>())
        {
            _counters.UpstreamCall(outcome);
        }
        _counters.Request(TimeSpan.FromMilliseconds(2.5));

        var deltas = _counters.Drain().OrderBy(d => d.Day).ToList();

        Assert.Equal(
        [
            new UsageDelta(new DateOnly(2026, 3, 1), TotalRequests: 3, CacheHits: 1, SoundChartsCalls: 0, FailedCalls: 0, TotalResponseTimeMs: 1),
            // Every outcome but NotSent is a call; all but Success and NotFound (404) are failed calls.
            new UsageDelta(new DateOnly(2026, 3, 2), TotalRequests: 1, CacheHits: 0, SoundChartsCalls: 8, FailedCalls: 6, TotalResponseTimeMs: 2),
        ], deltas);
    }

    [Fact]
    public void Sub_millisecond_remainders_carry_over_so_fast_requests_do_not_round_away()
    {
        long writtenMs = 0;
        for (var i = 0; i < 10; i++)
        {
            _counters.Request(TimeSpan.FromMilliseconds(0.3));
            writtenMs += Assert.Single(_counters.Drain()).TotalResponseTimeMs;
        }
        // 10 × 0.3 ms over ten flushes: 3 ms in all, not 10 × 0.
        Assert.Equal(3, writtenMs);
    }

    [Fact]
    public void Restored_deltas_are_written_with_the_next_drain()
    {
        _counters.CacheHit();
        var failedWrite = _counters.Drain();
        _counters.CacheHit();
        _counters.Restore(failedWrite);

        var delta = Assert.Single(_counters.Drain());
        Assert.Equal(2, delta.CacheHits);
        Assert.Empty(_counters.Drain());
    }

    public void Dispose() => _services.Dispose();
}
