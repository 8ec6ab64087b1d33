namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// The library_tracks table: each user's saved tracks with added_at. Library grains write it; it is
/// the only copy of the list, so the grain state stays small however large the library grows.
/// </summary>
public sealed class LibraryStore(ReadModelDatabase db)
{
    /// <summary>Every saved track of the user with its added_at.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> LoadAsync(string userId)
    {
        await using var connection = await db.OpenAsync();
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT spotify_id, added_at FROM library_tracks WHERE user_id = @user", [("@user", userId)]);
        await using var reader = await command.ExecuteReaderAsync();
        var tracks = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            tracks[reader.GetString(0)] = db.ReadTimestamp(reader, 1)!.Value;
        }
        return tracks;
    }

    /// <summary>Adds the tracks, or moves them to the added_at given, in one transaction.</summary>
    public async Task UpsertAsync(string userId, IReadOnlyCollection<(string TrackId, DateTimeOffset AddedAt)> tracks)
    {
        if (tracks.Count == 0)
        {
            return;
        }
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = ReadModelDatabase.Command(connection, """
            INSERT INTO library_tracks (user_id, spotify_id, added_at) VALUES (@user, @id, @added)
            ON CONFLICT (user_id, spotify_id) DO UPDATE SET added_at = excluded.added_at
            """, [("@user", userId), ("@id", null), ("@added", null)]);
        command.Transaction = transaction;
        foreach (var (trackId, addedAt) in tracks)
        {
            command.Parameters["@id"].Value = trackId;
            command.Parameters["@added"].Value = db.Timestamp(addedAt);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>Removes these tracks from the user's library, in one transaction.</summary>
    public async Task RemoveAsync(string userId, IReadOnlyCollection<string> trackIds)
    {
        if (trackIds.Count == 0)
        {
            return;
        }
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = ReadModelDatabase.Command(connection,
            "DELETE FROM library_tracks WHERE user_id = @user AND spotify_id = @id", [("@user", userId), ("@id", null)]);
        command.Transaction = transaction;
        foreach (var trackId in trackIds)
        {
            command.Parameters["@id"].Value = trackId;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>
    /// A page of the user's tracks, newest first (ties by id, so pages are stable), and the total.
    /// Served by ix_library_tracks_user_added, which ends in the primary key's spotify_id.
    /// </summary>
    public async Task<(int Total, List<(string TrackId, DateTimeOffset AddedAt)> Page)> PageAsync(string userId, int offset, int limit)
    {
        await using var connection = await db.OpenAsync();
        await using var count = ReadModelDatabase.Command(connection,
            "SELECT COUNT(*) FROM library_tracks WHERE user_id = @user", [("@user", userId)]);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await using var command = ReadModelDatabase.Command(connection, """
            SELECT spotify_id, added_at FROM library_tracks WHERE user_id = @user
            ORDER BY added_at DESC, spotify_id LIMIT @limit OFFSET @offset
            """, [("@user", userId), ("@limit", limit), ("@offset", offset)]);
        await using var reader = await command.ExecuteReaderAsync();
        var page = new List<(string, DateTimeOffset)>(Math.Min(limit, 256));
        while (await reader.ReadAsync())
        {
            page.Add((reader.GetString(0), db.ReadTimestamp(reader, 1)!.Value));
        }
        return (total, page);
    }
}
