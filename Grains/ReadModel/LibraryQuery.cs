namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// A selection of one user's tracks: the saved tracks, or one of the user's synced playlists; optionally
/// only those whose name or an artist's name contains <see cref="Search"/>; in the order of <see cref="Sort"/>.
/// </summary>
/// <param name="Sort">One of <see cref="LibrarySort.Names"/>.</param>
public sealed record LibraryQuery(string UserId, string? PlaylistId = null, string? Search = null, string Sort = LibrarySort.AddedAt, bool Descending = true)
{
    /// <summary>
    /// FROM and WHERE over <c>s</c> (spotify_id, added_at of the user's saved or playlist rows) left-joined
    /// to <c>t</c> (tracks) and <c>f</c> (track_search): a saved track whose rows are not written yet is still listed. Every
    /// statement binds the user, so no query can reach another user's rows.
    /// </summary>
    internal string FromWhere(SqlDialect dialect)
    {
        var source = PlaylistId is null
            ? "library_tracks s"
            : "playlist_tracks s";
        var where = PlaylistId is null ? "s.user_id = @user" : "s.user_id = @user AND s.playlist_id = @playlist";
        if (!string.IsNullOrEmpty(Search))
        {
            where += @" AND (f.name_folded LIKE @q ESCAPE '\' OR f.artists_folded LIKE @q ESCAPE '\')";
        }
        // ix_tracks_listing holds every tracks column these queries read, apart from the payloads (see 0011_library_queries).
        return $"FROM {source} LEFT JOIN tracks t {dialect.IndexedBy("ix_tracks_listing")} ON t.spotify_id = s.spotify_id " +
            $"LEFT JOIN track_search f ON f.spotify_id = s.spotify_id WHERE {where}";
    }

    internal List<(string Name, object? Value)> Parameters()
    {
        var parameters = new List<(string, object?)> { ("@user", UserId) };
        if (PlaylistId is not null)
        {
            parameters.Add(("@playlist", PlaylistId));
        }
        if (!string.IsNullOrEmpty(Search))
        {
            parameters.Add(("@q", SearchText.ContainsPattern(Search)));
        }
        return parameters;
    }

    internal string OrderBy(SqlDialect dialect) => LibrarySort.OrderBy(Sort, Descending, dialect);
}
