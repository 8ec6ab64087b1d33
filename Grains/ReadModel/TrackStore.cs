using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// The tracks and failed_requests tables. Track grains write here; the payloads live only here
/// (compressed), so the grain state stays small and no large JSON is stored twice.
/// </summary>
public sealed class TrackStore(ReadModelDatabase db)
{
    public async Task<StoredTrack?> LoadAsync(string spotifyId)
    {
        await using var connection = await db.OpenAsync();
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT spotify_data, soundcharts_data, soundcharts_fetched_at FROM tracks WHERE spotify_id = @id",
            [("@id", spotifyId)]);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        return new StoredTrack(
            reader.IsDBNull(0) ? null : JsonBlob.Decompress((byte[])reader.GetValue(0)),
            reader.IsDBNull(1) ? null : JsonBlob.Decompress((byte[])reader.GetValue(1)),
            db.ReadTimestamp(reader, 2));
    }

    public Task SaveSoundChartsAsync(string spotifyId, string json, SongFacts song, DateTimeOffset fetchedAt)
    {
        var audio = song.Audio;
        return db.ExecuteAsync("""
            INSERT INTO tracks (spotify_id, soundcharts_uuid, soundcharts_data, soundcharts_fetched_at, name, name_folded, isrc, duration_ms, explicit,
                                tempo, energy, danceability, valence, acousticness, instrumentalness, liveness, loudness, speechiness,
                                "key", "mode", time_signature, created_at, updated_at)
            VALUES (@id, @uuid, @data, @fetched, @name, @folded, @isrc, @duration, @explicit,
                    @tempo, @energy, @danceability, @valence, @acousticness, @instrumentalness, @liveness, @loudness, @speechiness,
                    @key, @mode, @ts, @now, @now)
            ON CONFLICT (spotify_id) DO UPDATE SET
                soundcharts_uuid = excluded.soundcharts_uuid, soundcharts_data = excluded.soundcharts_data,
                soundcharts_fetched_at = excluded.soundcharts_fetched_at,
                name = COALESCE(tracks.name, excluded.name), name_folded = COALESCE(tracks.name_folded, excluded.name_folded), isrc = COALESCE(tracks.isrc, excluded.isrc),
                duration_ms = COALESCE(tracks.duration_ms, excluded.duration_ms), explicit = COALESCE(tracks.explicit, excluded.explicit),
                tempo = excluded.tempo, energy = excluded.energy, danceability = excluded.danceability, valence = excluded.valence,
                acousticness = excluded.acousticness, instrumentalness = excluded.instrumentalness, liveness = excluded.liveness,
                loudness = excluded.loudness, speechiness = excluded.speechiness, "key" = excluded."key", "mode" = excluded."mode",
                time_signature = excluded.time_signature, updated_at = excluded.updated_at
            """,
            [
                ("@id", spotifyId), ("@uuid", song.Uuid), ("@data", JsonBlob.Compress(json)), ("@fetched", db.Timestamp(fetchedAt)),
                ("@name", song.Name), ("@folded", SearchText.Fold(song.Name)), ("@isrc", song.Isrc), ("@duration", song.DurationSeconds * 1000), ("@explicit", song.Explicit),
                ("@tempo", audio?.Tempo), ("@energy", audio?.Energy), ("@danceability", audio?.Danceability), ("@valence", audio?.Valence),
                ("@acousticness", audio?.Acousticness), ("@instrumentalness", audio?.Instrumentalness), ("@liveness", audio?.Liveness),
                ("@loudness", audio?.Loudness), ("@speechiness", audio?.Speechiness), ("@key", audio?.Key), ("@mode", audio?.Mode),
                ("@ts", audio?.TimeSignature), ("@now", db.Timestamp(fetchedAt)),
            ]);
    }

    public Task SaveSpotifyAsync(string spotifyId, string json, SpotifyTrackFacts facts, DateTimeOffset now) =>
        db.ExecuteAsync("""
            INSERT INTO tracks (spotify_id, spotify_data, name, name_folded, duration_ms, explicit, popularity, preview_url, isrc, artists_json,
                                artist_names, artists_folded, album_name, release_date, created_at, updated_at)
            VALUES (@id, @data, @name, @folded, @duration, @explicit, @popularity, @preview, @isrc, @artists,
                    @artistNames, @artistsFolded, @album, @release, @now, @now)
            ON CONFLICT (spotify_id) DO UPDATE SET
                spotify_data = excluded.spotify_data, name = COALESCE(excluded.name, tracks.name),
                name_folded = COALESCE(excluded.name_folded, tracks.name_folded),
                duration_ms = COALESCE(excluded.duration_ms, tracks.duration_ms), explicit = COALESCE(excluded.explicit, tracks.explicit),
                popularity = COALESCE(excluded.popularity, tracks.popularity), preview_url = COALESCE(excluded.preview_url, tracks.preview_url),
                isrc = COALESCE(excluded.isrc, tracks.isrc), artists_json = COALESCE(excluded.artists_json, tracks.artists_json),
                artist_names = COALESCE(excluded.artist_names, tracks.artist_names),
                artists_folded = COALESCE(excluded.artists_folded, tracks.artists_folded),
                album_name = COALESCE(excluded.album_name, tracks.album_name), release_date = COALESCE(excluded.release_date, tracks.release_date),
                updated_at = excluded.updated_at
            """,
            [
                ("@id", spotifyId), ("@data", JsonBlob.Compress(json)), ("@name", facts.Name), ("@duration", facts.DurationMs),
                ("@explicit", facts.Explicit), ("@popularity", facts.Popularity), ("@preview", facts.PreviewUrl), ("@isrc", facts.Isrc),
                ("@artists", facts.ArtistsJson), ("@folded", facts.NameFolded), ("@artistNames", facts.ArtistNames),
                ("@artistsFolded", facts.ArtistsFolded), ("@album", facts.AlbumName), ("@release", facts.ReleaseDate), ("@now", db.Timestamp(now)),
            ]);

    /// <summary>
    /// Fills the search and export columns (0011_library_queries) of rows written before they existed, from
    /// the stored Spotify payload, or from the name alone for rows with no Spotify data; a batch at a time,
    /// so a large file is not read into memory. Returns how many rows it filled. Idempotent: a filled row
    /// has name_folded and is not selected again.
    /// </summary>
    public async Task<int> BackfillSearchColumnsAsync(int batchSize = 500, CancellationToken cancellationToken = default)
    {
        var filled = 0;
        while (true)
        {
            var batch = new List<(string Id, string Name, byte[]? Spotify)>(batchSize);
            await using (var connection = await db.OpenAsync(cancellationToken))
            await using (var select = ReadModelDatabase.Command(connection,
                "SELECT spotify_id, name, spotify_data FROM tracks WHERE name_folded IS NULL AND name IS NOT NULL LIMIT @n", [("@n", batchSize)]))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2)));
                }
            }
            if (batch.Count == 0)
            {
                return filled;
            }

            await using var write = await db.OpenAsync(cancellationToken);
            await using var transaction = await write.BeginTransactionAsync(cancellationToken);
            await using var update = ReadModelDatabase.Command(write, """
                UPDATE tracks SET name_folded = @folded,
                    artist_names = COALESCE(@artistNames, artist_names), artists_folded = COALESCE(@artistsFolded, artists_folded),
                    album_name = COALESCE(@album, album_name), release_date = COALESCE(@release, release_date)
                WHERE spotify_id = @id
                """, [("@id", null), ("@folded", null), ("@artistNames", null), ("@artistsFolded", null), ("@album", null), ("@release", null)]);
            update.Transaction = transaction;
            foreach (var (id, name, spotify) in batch)
            {
                var facts = spotify is null ? null : SpotifyTrackFacts.Read(JsonBlob.Decompress(spotify));
                update.Parameters["@id"].Value = id;
                update.Parameters["@folded"].Value = SearchText.Fold(name);
                update.Parameters["@artistNames"].Value = (object?)facts?.ArtistNames ?? DBNull.Value;
                update.Parameters["@artistsFolded"].Value = (object?)facts?.ArtistsFolded ?? DBNull.Value;
                update.Parameters["@album"].Value = (object?)facts?.AlbumName ?? DBNull.Value;
                update.Parameters["@release"].Value = (object?)facts?.ReleaseDate ?? DBNull.Value;
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            filled += batch.Count;
        }
    }

    public Task UpsertFailureAsync(FailureRow row) =>
        db.ExecuteAsync("""
            INSERT INTO failed_requests (spotify_id, status, error_message, error_code, http_status, attempt_count, max_attempts, last_attempt, next_retry)
            VALUES (@id, @status, @message, @code, @http, @attempts, @max, @last, @next)
            ON CONFLICT (spotify_id) DO UPDATE SET
                status = excluded.status, error_message = excluded.error_message, error_code = excluded.error_code,
                http_status = excluded.http_status, attempt_count = excluded.attempt_count, max_attempts = excluded.max_attempts,
                last_attempt = excluded.last_attempt, next_retry = excluded.next_retry
            """,
            [
                ("@id", row.SpotifyId), ("@status", row.Status), ("@message", row.ErrorMessage), ("@code", row.ErrorCode),
                ("@http", row.HttpStatus), ("@attempts", row.AttemptCount), ("@max", row.MaxAttempts),
                ("@last", db.Timestamp(row.LastAttempt)), ("@next", db.Timestamp(row.NextRetry)),
            ]);

    public Task DeleteFailureAsync(string spotifyId) =>
        db.ExecuteAsync("DELETE FROM failed_requests WHERE spotify_id = @id", [("@id", spotifyId)]);

    /// <summary>Track ids in failed_requests with one of the given statuses.</summary>
    public async Task<IReadOnlyList<string>> FailureIdsAsync(params string[] statuses)
    {
        await using var connection = await db.OpenAsync();
        var names = statuses.Select((_, i) => "@s" + i).ToArray();
        await using var command = ReadModelDatabase.Command(connection,
            $"SELECT spotify_id FROM failed_requests WHERE status IN ({string.Join(",", names)}) ORDER BY spotify_id",
            statuses.Select((s, i) => (names[i], (object?)s)).ToList());
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }
}
