using TrackGrains.Emulator.SoundCharts;
using System.Net.Http.Json;
using System.Text.Json;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>Bounded polling for outcomes that complete in the background (queues, reminders), instead of fixed sleeps.</summary>
public static class TrackPolling
{
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, () => "");

    /// <summary>Polls <paramref name="condition"/> until it holds; on time-out, <paramref name="describe"/> says what was seen last.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"Condition not met within {timeout}. {describe()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until SoundCharts (the emulator) has seen each track called <paramref name="calls"/> times: watches a
    /// background resumption from upstream's side, where a read through our API would make the attempt itself.
    /// </summary>
    public static Task WaitForUpstreamCallsAsync(SoundChartsCounters counters, IReadOnlyList<string> ids, long calls, TimeSpan timeout) =>
        WaitUntilAsync(() => Task.FromResult(ids.All(id => counters.CallsForTrack(id) == calls)), timeout,
            () => $"calls per track, expected {calls} each: {string.Join(", ", ids.Select(counters.CallsForTrack))}");

    /// <summary>
    /// Asserts that <paramref name="value"/> keeps <paramref name="expected"/> for all of <paramref name="period"/>: a count
    /// reached once must not move later (a stray reminder, a second sweep). The period is the configured one to outlast.
    /// </summary>
    public static async Task AssertStaysAsync(Func<long> value, long expected, TimeSpan period, string what)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            var seen = value();
            Assert.True(seen == expected, $"{what}: expected it to stay {expected}, became {seen} after {elapsed.Elapsed.TotalSeconds:0.0} s");
            await Task.Delay(100);
        }
        while (elapsed.Elapsed < period);
    }

    /// <summary>Statuses as the batch endpoint reports them; a batch read also makes due first attempts.</summary>
    public static async Task<Dictionary<string, string>> PeekStatusesAsync(HttpClient client, IReadOnlyList<string> ids)
    {
        var statuses = new Dictionary<string, string>();
        foreach (var chunk in ids.Chunk(100))
        {
            using var response = await client.PostAsJsonAsync("/api/tracks/batch", new { trackIds = chunk });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var track in body.GetProperty("tracks").EnumerateArray())
            {
                statuses[track.GetProperty("id").GetString()!] = track.GetProperty("enrichment").GetProperty("status").GetString()!;
            }
        }
        return statuses;
    }

    public static async Task<Dictionary<string, string>> WaitForFinalStatusesAsync(HttpClient client, IReadOnlyList<string> ids, TimeSpan timeout,
        params string[] final)
    {
        var finalStatuses = final.Length > 0 ? final : ["enriched", "notFound", "failed"];
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var statuses = await PeekStatusesAsync(client, ids);
            if (statuses.Values.All(finalStatuses.Contains) || DateTime.UtcNow > deadline)
            {
                return statuses;
            }
            await Task.Delay(250);
        }
    }
}
