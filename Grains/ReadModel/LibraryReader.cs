using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// Whole-library reads for the gateway, answered by the read model in SQL: a sorted or searched page of
/// one user's saved tracks or playlist, every row of such a selection (export, plots), the user's playlists.
/// </summary>
public sealed class LibraryReader(ReadModelDatabase db)
{
    private const string RowColumns = "s.spotify_id, s.added_at, " + TrackColumns;

    private const string TrackColumns = """
        t.name, f.artist_names, t.artists_json, f.album_name, f.release_date, t.duration_ms, t.popularity,
        t.explicit, t.danceability, t.energy, t."key", t.loudness, t."mode", t.speechiness, t.acousticness, t.instrumentalness,
        t.liveness, t.valence, t.tempo, t.time_signature
        """;

    /// <summary>A page of the selection in its order, and how many tracks the whole selection has.</summary>
    /// <remarks>
    /// A search has to test every track of the library anyway, so the page's own query counts the matches
    /// (COUNT(*) OVER ()) instead of a second pass; without a search the count comes from the primary key
    /// alone and the newest-first page stops after its rows, so there the two stay separate.
    /// </remarks>
    public async Task<(int Total, List<(string TrackId, DateTimeOffset? AddedAt)> Page)> PageAsync(
        LibraryQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var parameters = query.Parameters();
        var searched = !string.IsNullOrEmpty(query.Search);
        int? total = null;
        if (!searched)
        {
            await using var count = ReadModelDatabase.Command(connection, CountSql(query), parameters);
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        var page = new List<(string, DateTimeOffset?)>(Math.Min(limit, 256));
        await using (var command = ReadModelDatabase.Command(connection,
            $"SELECT s.spotify_id, s.added_at{(searched ? ", COUNT(*) OVER ()" : "")} {query.FromWhere(db.Dialect)} {query.OrderBy(db.Dialect)} " +
            "LIMIT @limit OFFSET @offset", [.. parameters, ("@limit", limit), ("@offset", offset)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add((reader.GetString(0), db.ReadTimestamp(reader, 1)));
                total ??= (int)reader.GetInt64(2);
            }
        }
        if (total is null)
        {
            // A page past the end of the matches has no row to carry the count.
            await using var count = ReadModelDatabase.Command(connection, CountSql(query), parameters);
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        return (total.Value, page);
    }

    /// <summary>
    /// Every track of the selection in its order, read from one forward-only query as the caller consumes
    /// it: memory stays at one row however large the library, and the rows are one consistent snapshot
    /// (pages read one after another could skip or repeat a track that a running sync moves).
    /// </summary>
    public async IAsyncEnumerable<LibraryRow> RowsAsync(LibraryQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection,
            $"SELECT {RowColumns} {query.FromWhere(db.Dialect)} {query.OrderBy(db.Dialect)}", query.Parameters());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadRow(reader);
        }
    }

    /// <summary>The ids of the user's saved tracks.</summary>
    public async Task<List<string>> SavedTrackIdsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT spotify_id FROM library_tracks WHERE user_id = @user", [("@user", userId)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>
    /// These tracks as export rows, in the order given (at most a few hundred: a recommendation's picks),
    /// without an added_at; a track with no row is left out.
    /// </summary>
    public async IAsyncEnumerable<LibraryRow> TrackRowsAsync(IReadOnlyList<string> ids, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, LibraryRow>(StringComparer.Ordinal);
        await db.ReadByIdsAsync(
            $"SELECT t.spotify_id, NULL, {TrackColumns} FROM tracks t LEFT JOIN track_search f ON f.spotify_id = t.spotify_id " +
            "WHERE t.spotify_id IN ({ids})", ids,
            reader =>
            {
                var row = ReadRow(reader);
                rows[row.Id] = row;
            },
            cancellationToken);
        foreach (var id in ids)
        {
            if (rows.TryGetValue(id, out var row))
            {
                yield return row;
            }
        }
    }

    /// <summary>The user's synced playlists by name.</summary>
    public async Task<List<PlaylistSummary>> PlaylistsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT playlist_id, name, track_count, synced_at FROM playlists WHERE user_id = @user ORDER BY name, playlist_id",
            [("@user", userId)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var playlists = new List<PlaylistSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            playlists.Add(new PlaylistSummary(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2),
                db.ReadTimestamp(reader, 3)!.Value));
        }
        return playlists;
    }

    public async Task<bool> HasPlaylistAsync(string userId, string playlistId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT COUNT(*) FROM playlists WHERE user_id = @user AND playlist_id = @playlist", [("@user", userId), ("@playlist", playlistId)]);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    // Without a search the count needs no join: the user's rows alone, from the primary key.
    private string CountSql(LibraryQuery query) => string.IsNullOrEmpty(query.Search)
        ? $"SELECT COUNT(*) FROM {(query.PlaylistId is null ? "library_tracks" : "playlist_tracks")} s WHERE s.user_id = @user"
          + (query.PlaylistId is null ? "" : " AND s.playlist_id = @playlist")
        : $"SELECT COUNT(*) {query.FromWhere(db.Dialect)}";

    private LibraryRow ReadRow(DbDataReader r) => new(
        r.GetString(0),
        db.ReadTimestamp(r, 1),
        String(r, 2), String(r, 3), String(r, 4), String(r, 5), String(r, 6),
        Long(r, 7), Long(r, 8),
        r.IsDBNull(9) ? null : r.GetBoolean(9),
        Double(r, 10), Double(r, 11), Long(r, 12), Double(r, 13), Long(r, 14), Double(r, 15), Double(r, 16), Double(r, 17),
        Double(r, 18), Double(r, 19), Double(r, 20), Long(r, 21));

    private static string? String(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static double? Double(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
