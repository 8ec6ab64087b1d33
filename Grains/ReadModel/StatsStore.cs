using System.Globalization;
using TrackGrains.Grains.Usage;

namespace TrackGrains.Grains.ReadModel;

/// <summary>usage_stats (written by the usage flush, by adding) and the counts the stats page reads.</summary>
public sealed class StatsStore(ReadModelDatabase db)
{
    /// <summary>failed_requests statuses that mean "will be tried again by itself".</summary>
    public static readonly IReadOnlyList<string> QueuedStatuses = ["retrying", "pending"];

    /// <summary>Adds each delta to its day's row in one transaction: several silos may flush into the same day.</summary>
    public async Task AddUsageAsync(IReadOnlyList<UsageDelta> deltas, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var d in deltas)
        {
            await using var command = ReadModelDatabase.Command(connection, """
                INSERT INTO usage_stats (day, total_requests, cache_hits, soundcharts_calls, failed_calls, total_response_time_ms)
                VALUES (@day, @requests, @hits, @calls, @failed, @ms)
                ON CONFLICT (day) DO UPDATE SET
                    total_requests = usage_stats.total_requests + excluded.total_requests,
                    cache_hits = usage_stats.cache_hits + excluded.cache_hits,
                    soundcharts_calls = usage_stats.soundcharts_calls + excluded.soundcharts_calls,
                    failed_calls = usage_stats.failed_calls + excluded.failed_calls,
                    total_response_time_ms = usage_stats.total_response_time_ms + excluded.total_response_time_ms
                """,
                [
                    ("@day", DayText(d.Day)), ("@requests", d.TotalRequests), ("@hits", d.CacheHits),
                    ("@calls", d.SoundChartsCalls), ("@failed", d.FailedCalls), ("@ms", d.TotalResponseTimeMs),
                ]);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The most recent <paramref name="days"/> rows, newest first.</summary>
    public async Task<IReadOnlyList<UsageDay>> ReadDaysAsync(int days, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection, """
            SELECT day, total_requests, cache_hits, soundcharts_calls, failed_calls, total_response_time_ms
            FROM usage_stats ORDER BY day DESC LIMIT @days
            """, [("@days", days)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<UsageDay>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UsageDay(DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        return rows;
    }

    /// <summary>The sum over every stored day; <see cref="UsageDay.Day"/> is the first day (today when empty).</summary>
    public async Task<UsageDay> ReadTotalsAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection, """
            SELECT MIN(day), COALESCE(SUM(total_requests), 0), COALESCE(SUM(cache_hits), 0), COALESCE(SUM(soundcharts_calls), 0),
                   COALESCE(SUM(failed_calls), 0), COALESCE(SUM(total_response_time_ms), 0)
            FROM usage_stats
            """, []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var first = reader.IsDBNull(0) ? today : DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new UsageDay(first, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    /// <summary>Rows in tracks, and how many of them hold SoundCharts data.</summary>
    public async Task<(long Total, long Enriched)> CountTracksAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT COUNT(*), COUNT(soundcharts_data) FROM tracks", []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Rows of failed_requests per status.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountFailuresByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT status, COUNT(*) FROM failed_requests GROUP BY status ORDER BY status", []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }

    /// <summary>Tracks that will be tried again by themselves: failed_requests rows in <see cref="QueuedStatuses"/>.</summary>
    public async Task<long> CountRetryQueueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT COUNT(*) FROM failed_requests WHERE status IN (@s0, @s1)",
            [("@s0", QueuedStatuses[0]), ("@s1", QueuedStatuses[1])]);
        var count = await command.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt64(count, CultureInfo.InvariantCulture);
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
