using System.Diagnostics;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// Sequential request loops. A measured series and its floor run in alternating blocks, so that a
/// burst of noise from a neighbour on the machine lands on both rather than on one.
/// </summary>
public static class LatencyLoop
{
    /// <summary>One request; returns false when the answer was not the expected one (counted, not timed).</summary>
    public delegate Task<bool> Request(int index);

    public static async Task<(LatencySummary Measured, LatencySummary Floor)> InterleavedAsync(
        Request measured, Request floor, int warmUp, int count, int blocks)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await measured(i);
            await floor(i);
        }

        var measuredTimes = new List<double>(count);
        var floorTimes = new List<double>(count);
        var measuredErrors = 0;
        var floorErrors = 0;
        var perBlock = Math.Max(1, count / blocks);
        for (var done = 0; done < count;)
        {
            var n = Math.Min(perBlock, count - done);
            floorErrors += await TimeAsync(floor, warmUp + done, n, floorTimes);
            measuredErrors += await TimeAsync(measured, warmUp + done, n, measuredTimes);
            done += n;
        }
        return (LatencySummary.From(measuredTimes, measuredErrors), LatencySummary.From(floorTimes, floorErrors));
    }

    public static async Task<double> TimeOneAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<int> TimeAsync(Request request, int start, int n, List<double> times)
    {
        var errors = 0;
        for (var i = start; i < start + n; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var ok = await request(i);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (ok)
            {
                times.Add(elapsed);
            }
            else
            {
                errors++;
            }
        }
        return errors;
    }
}
