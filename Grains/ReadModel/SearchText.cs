namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// The one case folding of library search, applied in .NET to both the stored *_folded columns and the
/// query: SQLite's LOWER and NOCASE fold ASCII only, so "élan" would not find "Élan" there, and folding
/// in one place makes SQLite and PostgreSQL compare exactly the same text.
/// </summary>
public static class SearchText
{
    /// <summary>The text's invariant lower-case form; null stays null.</summary>
    public static string? Fold(string? text) => text?.ToLowerInvariant();

    /// <summary>A LIKE pattern (with <c>ESCAPE '\'</c>) matching any text that contains <paramref name="query"/>, folded.</summary>
    public static string ContainsPattern(string query)
    {
        var folded = Fold(query)!;
        var escaped = folded.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
        return "%" + escaped + "%";
    }
}
