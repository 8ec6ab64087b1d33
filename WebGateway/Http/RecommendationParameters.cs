using System.Globalization;
using TrackGrains.Grains.Recommendations;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.WebGateway.Http;

/// <summary>
/// The query of a recommendations request, as Spotify's GET /v1/recommendations took it, checked: a bad
/// value is a 400 that names it and says what is allowed, never a silently ignored typo.
/// </summary>
public sealed record RecommendationParameters(
    IReadOnlyList<string> SeedTracks,
    IReadOnlyList<string> SeedArtists,
    int Limit,
    bool LibraryOnly,
    double[] Minimum,
    double[] Maximum,
    double[] Target)
{
    public const int MaxSeeds = 5;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Parameters a program written for Spotify may send that change nothing here.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "market" };

    public bool HasTargets => Target.Any(t => !double.IsNaN(t));

    /// <param name="alsoAllowed">A parameter of the endpoint's own (the export's format).</param>
    public static (RecommendationParameters? Parameters, IResult? Problem) Read(IQueryCollection query, string? alsoAllowed = null)
    {
        // An empty seed_genres (clients that send every field send it so) asks for no genre.
        if (query.TryGetValue("seed_genres", out var genres) && genres.Any(g => !string.IsNullOrWhiteSpace(g?.Replace(',', ' '))))
        {
            return Fail("seed_genres is not supported here: SoundCharts gives this server no genres. Seed with seed_tracks " +
                        "(Spotify track ids) or seed_artists (Spotify artist ids of stored tracks) instead.");
        }
        var (tracks, problem) = Ids(query, "seed_tracks", "track");
        if (problem is not null)
        {
            return (null, problem);
        }
        (var artists, problem) = Ids(query, "seed_artists", "artist");
        if (problem is not null)
        {
            return (null, problem);
        }
        var seeds = tracks.Count + artists.Count;
        if (seeds == 0)
        {
            return Fail("Give between 1 and 5 seeds: seed_tracks=<id>,<id> (Spotify track ids) and/or seed_artists=<id> (Spotify artist ids).");
        }
        if (seeds > MaxSeeds)
        {
            return Fail($"{seeds} seeds were given; at most {MaxSeeds} are allowed, seed_tracks and seed_artists together.");
        }

        var (limit, limitProblem) = QueryValues.Int(query, "limit", DefaultLimit, 1, MaxLimit);
        if (limitProblem is not null)
        {
            return (null, limitProblem);
        }

        var libraryOnly = false;
        if (query.TryGetValue("scope", out var scope))
        {
            switch (scope.Count == 1 ? scope.ToString().Trim() : null)
            {
                case "all" or "":
                    break;
                case "library":
                    libraryOnly = true;
                    break;
                default:
                    return Fail($"'scope' must be all (every enriched track the server holds) or library (your saved tracks) (got {Problems.Quote(scope.ToString())}).");
            }
        }

        var minimum = RecommendationRequest.Unset();
        var maximum = RecommendationRequest.Unset();
        var target = RecommendationRequest.Unset();
        foreach (var (name, values) in query)
        {
            var bounds = name.StartsWith("min_", StringComparison.Ordinal) ? minimum
                : name.StartsWith("max_", StringComparison.Ordinal) ? maximum
                : name.StartsWith("target_", StringComparison.Ordinal) ? target
                : null;
            if (bounds is null)
            {
                continue;
            }
            var attributeName = name[(name.IndexOf('_') + 1)..];
            if (TrackAttribute.Find(attributeName) is not { } attribute)
            {
                return Fail($"'{name}' names no attribute: min_, max_ and target_ take one of " +
                            $"{string.Join(", ", TrackAttribute.All.Select(a => a.Name))}.");
            }
            if (values.Count > 1)
            {
                return Fail($"'{name}' is given {values.Count} times; give it once.");
            }
            if (Value(name, values.ToString(), attribute) is { } bad)
            {
                return (null, bad);
            }
            bounds[attribute.Index] = double.Parse(values.ToString().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        foreach (var attribute in TrackAttribute.All)
        {
            if (minimum[attribute.Index] > maximum[attribute.Index])
            {
                return Fail($"min_{attribute.Name} ({Format(minimum[attribute.Index])}) is above max_{attribute.Name} " +
                            $"({Format(maximum[attribute.Index])}): no track could pass.");
            }
        }
        foreach (var name in query.Keys)
        {
            if (!Known(name) && name != alsoAllowed)
            {
                return Fail($"'{name}' is not a parameter of recommendations. Use seed_tracks, seed_artists, limit, scope, market, " +
                            "and min_, max_ or target_ with an attribute name.");
            }
        }
        return (new RecommendationParameters(tracks, artists, limit, libraryOnly, minimum, maximum, target), null);
    }

    private static bool Known(string name) =>
        name is "seed_tracks" or "seed_artists" or "seed_genres" or "limit" or "scope" || Ignored.Contains(name)
        || name.StartsWith("min_", StringComparison.Ordinal) || name.StartsWith("max_", StringComparison.Ordinal)
        || name.StartsWith("target_", StringComparison.Ordinal);

    private static IResult? Value(string name, string raw, TrackAttribute attribute)
    {
        var range = attribute.Maximum == int.MaxValue
            ? $"{(attribute.WholeNumber ? "a whole number" : "a number")} of at least {Format(attribute.Minimum)}"
            : $"{(attribute.WholeNumber ? "a whole number" : "a number")} from {Format(attribute.Minimum)} to {Format(attribute.Maximum)}";
        if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value < attribute.Minimum || value > attribute.Maximum || (attribute.WholeNumber && value != Math.Floor(value)))
        {
            return Problems.BadRequest($"'{name}' must be {range} (got {Problems.Quote(raw)}).");
        }
        return null;
    }

    private static (List<string> Ids, IResult? Problem) Ids(IQueryCollection query, string name, string kind)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return ([], null);
        }
        var ids = string.Join(',', values.Where(v => v is not null))
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        var invalid = ids.Where(id => !SpotifyTrackId.IsValid(id)).ToList();
        if (invalid.Count > 0)
        {
            return ([], Problems.BadRequest($"{name}: {Problems.Quote(invalid[0])} is not a Spotify {kind} id " +
                                            "(exactly 22 characters of 0-9, A-Z, a-z)."));
        }
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count < ids.Count)
        {
            return ([], Problems.BadRequest($"{name} names a seed twice; give each seed once."));
        }
        return (distinct, null);
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static (RecommendationParameters?, IResult?) Fail(string detail) => (null, Problems.BadRequest(detail));
}
