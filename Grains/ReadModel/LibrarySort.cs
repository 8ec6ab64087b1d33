namespace TrackGrains.Grains.ReadModel;

/// <summary>The orders a library listing can take: the API's sort names and the SQL each one sorts by.</summary>
public static class LibrarySort
{
    public const string AddedAt = "addedAt";

    /// <summary>
    /// API name → expression over <c>s</c> (the library or playlist rows), <c>t</c> (tracks) and <c>f</c> (track_search). SoundCharts
    /// sends key -1 when it detected none: that is "no value" and sorts last, like a missing one.
    /// </summary>
    private static readonly Dictionary<string, string> Expressions = new(StringComparer.Ordinal)
    {
        [AddedAt] = "s.added_at",
        ["name"] = "f.name_folded",
        ["artist"] = "f.artists_folded",
        ["tempo"] = "t.tempo",
        ["energy"] = "t.energy",
        ["danceability"] = "t.danceability",
        ["valence"] = "t.valence",
        ["acousticness"] = "t.acousticness",
        ["instrumentalness"] = "t.instrumentalness",
        ["liveness"] = "t.liveness",
        ["speechiness"] = "t.speechiness",
        ["loudness"] = "t.loudness",
        ["key"] = "NULLIF(t.\"key\", -1)",
        ["popularity"] = "t.popularity",
        ["duration"] = "t.duration_ms",
    };

    /// <summary>The sort names in the order the API documents them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Expressions.Keys];

    public static bool IsKnown(string name) => Expressions.ContainsKey(name);

    // Sorted as text: in code-point order on either database (the folded names, so case does not matter).
    private static readonly HashSet<string> TextSorts = new(StringComparer.Ordinal) { "name", "artist" };

    /// <summary>The ORDER BY clause: the value (missing ones last either way), then id so pages never overlap.</summary>
    public static string OrderBy(string sort, bool descending, SqlDialect dialect)
    {
        var value = TextSorts.Contains(sort) ? dialect.CodePointOrder(Expressions[sort]) : Expressions[sort];
        return $"ORDER BY {value} {(descending ? "DESC" : "ASC")} NULLS LAST, s.spotify_id";
    }
}
