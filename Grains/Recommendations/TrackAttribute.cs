namespace TrackGrains.Grains.Recommendations;

/// <summary>
/// One of the fourteen attributes Spotify's recommendations endpoint took <c>min_</c>, <c>max_</c> and
/// <c>target_</c> values for, with the range a request may name and how a difference on it is scaled for
/// the distance (see docs/recommendations.md).
/// </summary>
/// <param name="Index">The attribute's position in a <see cref="CatalogueIndex"/> row.</param>
/// <param name="Name">The parameter suffix, as Spotify named it (<c>min_tempo</c> ...).</param>
/// <param name="Minimum">Lowest value a request may give.</param>
/// <param name="Maximum">Highest value a request may give.</param>
/// <param name="WholeNumber">Whether a request must give a whole number.</param>
/// <param name="Span">A difference this large (or larger) counts as 1, the most an axis can add; smaller ones in proportion.</param>
/// <param name="Similarity">Whether the attribute measures how a track sounds, so that it takes part in "like the seeds".</param>
/// <param name="Circular">Pitch classes wrap: B (11) is one step from C (0).</param>
public sealed record TrackAttribute(int Index, string Name, double Minimum, double Maximum, bool WholeNumber, double Span, bool Similarity,
    bool Circular = false)
{
    public static readonly TrackAttribute Acousticness = new(0, "acousticness", 0, 1, false, 1, true);
    public static readonly TrackAttribute Danceability = new(1, "danceability", 0, 1, false, 1, true);
    public static readonly TrackAttribute Energy = new(2, "energy", 0, 1, false, 1, true);
    public static readonly TrackAttribute Instrumentalness = new(3, "instrumentalness", 0, 1, false, 1, true);
    public static readonly TrackAttribute Liveness = new(4, "liveness", 0, 1, false, 1, true);
    public static readonly TrackAttribute Speechiness = new(5, "speechiness", 0, 1, false, 1, true);
    public static readonly TrackAttribute Valence = new(6, "valence", 0, 1, false, 1, true);

    // Most music sits between 60 and 180 BPM and between -30 and 0 dB: on those spans a step of a
    // twelfth of the range weighs what 0.08 of energy does, instead of tempo's raw 120 drowning everything.
    public static readonly TrackAttribute Tempo = new(7, "tempo", 0, 300, false, 120, true);
    public static readonly TrackAttribute Loudness = new(8, "loudness", -60, 0, false, 30, true);

    // Taken into account only when a request targets them: two songs are not alike for sharing a key.
    public static readonly TrackAttribute Key = new(9, "key", 0, 11, true, 6, false, Circular: true);
    public static readonly TrackAttribute Mode = new(10, "mode", 0, 1, true, 1, false);
    public static readonly TrackAttribute TimeSignature = new(11, "time_signature", 3, 7, true, 4, false);
    public static readonly TrackAttribute Popularity = new(12, "popularity", 0, 100, true, 100, false);
    public static readonly TrackAttribute DurationMs = new(13, "duration_ms", 0, int.MaxValue, true, 300_000, false);

    /// <summary>Every attribute, by <see cref="Index"/>.</summary>
    public static readonly IReadOnlyList<TrackAttribute> All =
    [
        Acousticness, Danceability, Energy, Instrumentalness, Liveness, Speechiness, Valence, Tempo, Loudness,
        Key, Mode, TimeSignature, Popularity, DurationMs,
    ];

    public const int Count = 14;

    public static TrackAttribute? Find(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>How far apart two values are on this axis, from 0 (same) to 1 (a span or more apart).</summary>
    public double Difference(double a, double b)
    {
        var d = Math.Abs(a - b);
        if (Circular)
        {
            d = Math.Min(d, 12 - d);
        }
        return Math.Min(d / Span, 1);
    }
}
