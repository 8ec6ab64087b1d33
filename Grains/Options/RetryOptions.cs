using System.Globalization;

namespace TrackGrains.Grains.Options;

public sealed class RetryOptions
{
    public const string Section = "Retry";

    /// <summary>
    /// Comma-separated delays before attempt 1, 2, 3 ...: attempt 1 follows the first request after
    /// the first delay (normally zero, inline); each later one follows the previous failure.
    /// </summary>
    public string Delays { get; set; } = "00:00:00,01:00:00,1.00:00:00";

    /// <summary>A track SoundCharts did not know is looked up once more after this long.</summary>
    public TimeSpan NotFoundRecheck { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often a pending reminder fires again if its track is not done (a safety net, not the schedule).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>While tracks wait for a key, the wait queue sweeps them this often (a reminder, so it survives restarts).</summary>
    public TimeSpan KeyWaitSweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public IReadOnlyList<TimeSpan> ParsedDelays => ParseDelays(Delays) ?? [];

    public static IReadOnlyList<TimeSpan>? ParseDelays(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var result = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero)
            {
                return null;
            }
            result.Add(delay);
        }
        return result;
    }
}
