namespace TrackGrains.Grains.Recommendations;

/// <summary>
/// What to pick, already checked: the seed points, the min/max filters and targets on raw values
/// (NaN where not given), how many picks, and which tracks may not be picked.
/// </summary>
/// <param name="Seeds">One point per seed, in raw values by <see cref="TrackAttribute.Index"/>; NaN where unknown.</param>
/// <param name="ExcludedIds">The seed tracks themselves.</param>
/// <param name="ExcludedIsrcs">The seed tracks' recordings: another release of a seed is the seed again.</param>
/// <param name="Pool">Only these tracks (the caller's library), or null for every indexed track.</param>
public sealed record RecommendationRequest(
    IReadOnlyList<double[]> Seeds,
    double[] Minimum,
    double[] Maximum,
    double[] Target,
    int Limit,
    IReadOnlySet<string> ExcludedIds,
    IReadOnlySet<string> ExcludedIsrcs,
    IReadOnlyCollection<string>? Pool)
{
    public static double[] Unset()
    {
        var values = new double[TrackAttribute.Count];
        Array.Fill(values, double.NaN);
        return values;
    }
}

/// <summary>
/// The picks, best first, and the pool sizes Spotify reported per seed: the pool without the seeds,
/// after the min/max filters, and after keeping one track per recording (ISRC).
/// </summary>
public sealed record Recommendation(IReadOnlyList<string> TrackIds, int InitialPoolSize, int AfterFilteringSize, int AfterRelinkingSize);
