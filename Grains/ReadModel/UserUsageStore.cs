using System.Globalization;
using TrackGrains.Grains.Interfaces.Access;

namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// user_usage: each user's SoundCharts calls per UTC day. The user's budget grain loads its row on
/// activation and writes it back; the stats page lists the day's rows. The day is yyyy-MM-dd text
/// in both databases, like usage_stats.
/// </summary>
public sealed class UserUsageStore(ReadModelDatabase db)
{
    public async Task<(long Calls, long Refused)> LoadAsync(string userId, DateOnly day)
    {
        await using var connection = await db.OpenAsync();
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT soundcharts_calls, refused FROM user_usage WHERE user_id = @user AND day = @day",
            [("@user", userId), ("@day", DayText(day))]);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    /// <summary>Writes the grain's counts as they stand (the grain is the only writer of its row).</summary>
    public Task SaveAsync(string userId, DateOnly day, long calls, long refused, DateTimeOffset now) =>
        db.ExecuteAsync("""
            INSERT INTO user_usage (user_id, day, soundcharts_calls, refused, updated_at)
            VALUES (@user, @day, @calls, @refused, @now)
            ON CONFLICT (user_id, day) DO UPDATE SET
                soundcharts_calls = excluded.soundcharts_calls,
                refused = excluded.refused,
                updated_at = excluded.updated_at
            """,
            [("@user", userId), ("@day", DayText(day)), ("@calls", calls), ("@refused", refused), ("@now", db.Timestamp(now))]);

    /// <summary>The users with a row for this day, by most calls first.</summary>
    public async Task<IReadOnlyList<string>> UsersOnAsync(DateOnly day, int limit)
    {
        await using var connection = await db.OpenAsync();
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT user_id FROM user_usage WHERE day = @day ORDER BY soundcharts_calls DESC, user_id LIMIT @limit",
            [("@day", DayText(day)), ("@limit", limit)]);
        await using var reader = await command.ExecuteReaderAsync();
        var users = new List<string>();
        while (await reader.ReadAsync())
        {
            users.Add(reader.GetString(0));
        }
        return users;
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
