using TrackGrains.Grains.ReadModel;

namespace TrackGrains.WebGateway.Http;

/// <summary>
/// Reads the selection parameters the library endpoints share (<c>q</c>, <c>sort</c>, <c>order</c>,
/// <c>playlist</c>) into a <see cref="LibraryQuery"/> of the caller's own library, or a 400/404 problem
/// that names the allowed values.
/// </summary>
public static class LibrarySelection
{
    public const int MaxSearchLength = 200;

    // The orders a person expects from a first click: A to Z for words and keys, biggest first for
    // numbers, newest first for the date added.
    private static readonly HashSet<string> AscendingByDefault = new(StringComparer.Ordinal) { "name", "artist", "key" };

    public static async Task<(LibraryQuery? Query, IResult? Problem)> ReadAsync(
        IQueryCollection query, string userId, LibraryReader reader, CancellationToken cancellationToken)
    {
        var (search, problem) = Single(query, "q");
        if (problem is not null)
        {
            return (null, problem);
        }
        search = search?.Trim();
        if (search is { Length: > MaxSearchLength })
        {
            return (null, Problems.BadRequest($"'q' is {search.Length} characters long; search with at most {MaxSearchLength}."));
        }

        (var sort, problem) = Single(query, "sort");
        if (problem is not null)
        {
            return (null, problem);
        }
        sort = string.IsNullOrWhiteSpace(sort) ? LibrarySort.AddedAt : sort.Trim();
        if (!LibrarySort.IsKnown(sort))
        {
            return (null, Problems.BadRequest(
                $"'sort' must be one of {string.Join(", ", LibrarySort.Names)} (got {Problems.Quote(sort)})."));
        }

        (var order, problem) = Single(query, "order");
        if (problem is not null)
        {
            return (null, problem);
        }
        bool descending;
        switch (order?.Trim())
        {
            case null or "":
                descending = !AscendingByDefault.Contains(sort);
                break;
            case "asc":
                descending = false;
                break;
            case "desc":
                descending = true;
                break;
            default:
                return (null, Problems.BadRequest($"'order' must be asc or desc (got {Problems.Quote(order)})."));
        }

        (var playlist, problem) = Single(query, "playlist");
        if (problem is not null)
        {
            return (null, problem);
        }
        playlist = string.IsNullOrWhiteSpace(playlist) ? null : playlist.Trim();
        if (playlist is not null)
        {
            if (playlist.Length > 64 || !playlist.All(char.IsAsciiLetterOrDigit))
            {
                return (null, Problems.BadRequest(
                    $"'playlist' must be a Spotify playlist id (letters and digits, e.g. 37i9dQZF1DXcBWIGoYBM5M; got {Problems.Quote(playlist)})."));
            }
            if (!await reader.HasPlaylistAsync(userId, playlist, cancellationToken))
            {
                return (null, Problems.Create(StatusCodes.Status404NotFound, "Playlist not synced",
                    $"No playlist {Problems.Quote(playlist)} in your synced library: GET /api/playlists lists the ones there are; " +
                    "POST /api/sync with {\"collectionType\": \"playlists\"} brings in your playlists."));
            }
        }

        return (new LibraryQuery(userId, playlist, string.IsNullOrEmpty(search) ? null : search, sort, descending), null);
    }

    private static (string? Value, IResult? Problem) Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return (null, null);
        }
        return values.Count > 1
            ? (null, Problems.BadRequest($"'{name}' is given {values.Count} times; give it once."))
            : (values.ToString(), null);
    }
}
