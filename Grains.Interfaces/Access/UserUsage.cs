namespace TrackGrains.Grains.Interfaces.Access;

/// <summary>One user's SoundCharts spending on one UTC day, as the admin sees it.</summary>
/// <param name="SoundChartsCalls">Calls this user's reads and syncs caused that day.</param>
/// <param name="Refused">Attempts refused because the budget was spent.</param>
/// <param name="Limit">The daily budget; 0 means no limit.</param>
[GenerateSerializer, Immutable, Alias("tg.UserUsage")]
public sealed record UserUsage(
    [property: Id(0)] string UserId,
    [property: Id(1)] DateOnly Day,
    [property: Id(2)] long SoundChartsCalls,
    [property: Id(3)] long Refused,
    [property: Id(4)] long Limit);
