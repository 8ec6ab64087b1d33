using System.Globalization;

namespace TrackGrains.Grains.Interfaces.Access;

/// <summary>The key of a <see cref="IUserBudgetGrain"/>: <c>{yyyy-MM-dd}/{spotify user id}</c>, the day in UTC.</summary>
public static class UserBudgetKey
{
    public static string For(string userId, DateTimeOffset now) => For(userId, Day(now));

    public static string For(string userId, DateOnly day) => $"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{userId}";

    public static DateOnly Day(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>Midnight UTC after <paramref name="day"/>.</summary>
    public static DateTimeOffset NextDayStart(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static (DateOnly Day, string UserId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (DateOnly.ParseExact(key[..slash], "yyyy-MM-dd", CultureInfo.InvariantCulture), key[(slash + 1)..]);
    }
}
