using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Tests.Infrastructure;

public static class RetryingTracks
{
    /// <summary>
    /// Reads <paramref name="ids"/> while every SoundCharts call answers 500, so each track's first attempt fails
    /// and it waits, 'retrying', for a reminder; the upstream is healthy again afterwards.
    /// </summary>
    public static async Task CreateAsync(HttpClient client, SoundChartsState soundCharts, IReadOnlyList<string> ids)
    {
        soundCharts.Settings = soundCharts.Settings with { TransientFaultRate = 1.0, FaultKinds = [FaultKind.ServerError] };
        try
        {
            var statuses = await TrackPolling.PeekStatusesAsync(client, ids);
            Assert.All(statuses.Values, s => Assert.Equal("retrying", s));
        }
        finally
        {
            soundCharts.Settings = soundCharts.Settings with { TransientFaultRate = 0 };
        }
    }
}
