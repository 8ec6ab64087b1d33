namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// The library_tracks, playlists and playlist_tracks tables, as the library grains write them. library_tracks
/// holds each user's saved tracks with added_at; it is
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
    /// Records what one playlist holds now, replacing what was recorded before, in one transaction:
    /// readers see the old membership or the new one, never a half.
    /// </summary>
    /// <param name="tracks">The playlist's tracks in playlist order; a track listed twice keeps its first position.</param>
    public async Task ReplacePlaylistAsync(string userId, string playlistId, string? name,
        IReadOnlyList<(string TrackId, DateTimeOffset? AddedAt)> tracks, DateTimeOffset syncedAt)
    {
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var clear = ReadModelDatabase.Command(connection,
            "DELETE FROM playlist_tracks WHERE user_id = @user AND playlist_id = @playlist", [("@user", userId), ("@playlist", playlistId)]))
        {
            clear.Transaction = transaction;
            await clear.ExecuteNonQueryAsync();
        }
        var count = 0;
        await using (var insert = ReadModelDatabase.Command(connection, """
            INSERT INTO playlist_tracks (user_id, playlist_id, spotify_id, position, added_at) VALUES (@user, @playlist, @id, @position, @added)
            ON CONFLICT (user_id, playlist_id, spotify_id) DO NOTHING
            """, [("@user", userId), ("@playlist", playlistId), ("@id", null), ("@position", null), ("@added", null)]))
        {
            insert.Transaction = transaction;
            for (var position = 0; position < tracks.Count; position++)
            {
                insert.Parameters["@id"].Value = tracks[position].TrackId;
                insert.Parameters["@position"].Value = position;
                insert.Parameters["@added"].Value = db.Timestamp(tracks[position].AddedAt) ?? DBNull.Value;
                count += await insert.ExecuteNonQueryAsync();
            }
        }
        await using (var upsert = ReadModelDatabase.Command(connection, """
            INSERT INTO playlists (user_id, playlist_id, name, track_count, synced_at) VALUES (@user, @playlist, @name, @count, @synced)
            ON CONFLICT (user_id, playlist_id) DO UPDATE SET
                name = excluded.name, track_count = excluded.track_count, synced_at = excluded.synced_at
            """, [("@user", userId), ("@playlist", playlistId), ("@name", name), ("@count", count), ("@synced", db.Timestamp(syncedAt))]))
        {
            upsert.Transaction = transaction;
            await upsert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>Forgets the user's playlists other than <paramref name="keep"/> (ones the user no longer has), with their tracks.</summary>
    public async Task RemovePlaylistsExceptAsync(string userId, IReadOnlySet<string> keep)
    {
        await using var connection = await db.OpenAsync();
        var gone = new List<string>();
        await using (var select = ReadModelDatabase.Command(connection, "SELECT playlist_id FROM playlists WHERE user_id = @user", [("@user", userId)]))
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                if (!keep.Contains(reader.GetString(0)))
                {
                    gone.Add(reader.GetString(0));
                }
            }
        }
        if (gone.Count == 0)
        {
            return;
        }
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var table in new[] { "playlist_tracks", "playlists" })
        {
            await using var delete = ReadModelDatabase.Command(connection,
                $"DELETE FROM {table} WHERE user_id = @user AND playlist_id = @playlist", [("@user", userId), ("@playlist", null)]);
            delete.Transaction = transaction;
            foreach (var playlistId in gone)
            {
                delete.Parameters["@playlist"].Value = playlistId;
                await delete.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }
}
