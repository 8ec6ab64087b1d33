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
            INSERT INTO tracks (spotify_id, soundcharts_uuid, soundcharts_data, soundcharts_fetched_at, name, isrc, duration_ms, explicit,
                                tempo, energy, danceability, valence, acousticness, instrumentalness, liveness, loudness, speechiness,
                                "key", "mode", time_signature, created_at, updated_at)
            VALUES (@id, @uuid, @data, @fetched, @name, @isrc, @duration, @explicit,
                    @tempo, @energy, @danceability, @valence, @acousticness, @instrumentalness, @liveness, @loudness, @speechiness,
                    @key, @mode, @ts, @now, @now)
            ON CONFLICT (spotify_id) DO UPDATE SET
                soundcharts_uuid = excluded.soundcharts_uuid, soundcharts_data = excluded.soundcharts_data,
                soundcharts_fetched_at = excluded.soundcharts_fetched_at,
                name = COALESCE(tracks.name, excluded.name), isrc = COALESCE(tracks.isrc, excluded.isrc),
                duration_ms = COALESCE(tracks.duration_ms, excluded.duration_ms), explicit = COALESCE(tracks.explicit, excluded.explicit),
                tempo = excluded.tempo, energy = excluded.energy, danceability = excluded.danceability, valence = excluded.valence,
                acousticness = excluded.acousticness, instrumentalness = excluded.instrumentalness, liveness = excluded.liveness,
                loudness = excluded.loudness, speechiness = excluded.speechiness, "key" = excluded."key", "mode" = excluded."mode",
                time_signature = excluded.time_signature, updated_at = excluded.updated_at
            """,
            [
                ("@id", spotifyId), ("@uuid", song.Uuid), ("@data", JsonBlob.Compress(json)), ("@fetched", db.Timestamp(fetchedAt)),
                ("@name", song.Name), ("@isrc", song.Isrc), ("@duration", song.DurationSeconds * 1000), ("@explicit", song.Explicit),
                ("@tempo", audio?.Tempo), ("@energy", audio?.Energy), ("@danceability", audio?.Danceability), ("@valence", audio?.Valence),
                ("@acousticness", audio?.Acousticness), ("@instrumentalness", audio?.Instrumentalness), ("@liveness", audio?.Liveness),
                ("@loudness", audio?.Loudness), ("@speechiness", audio?.Speechiness), ("@key", audio?.Key), ("@mode", audio?.Mode),
                ("@ts", audio?.TimeSignature), ("@now", db.Timestamp(fetchedAt)),
            ]);
    }

    public Task SaveSpotifyAsync(string spotifyId, string json, SpotifyTrackFacts facts, DateTimeOffset now) =>
        db.ExecuteAsync("""
            INSERT INTO tracks (spotify_id, spotify_data, name, duration_ms, explicit, popularity, preview_url, isrc, artists_json, created_at, updated_at)
            VALUES (@id, @data, @name, @duration, @explicit, @popularity, @preview, @isrc, @artists, @now, @now)
            ON CONFLICT (spotify_id) DO UPDATE SET
                spotify_data = excluded.spotify_data, name = COALESCE(excluded.name, tracks.name),
                duration_ms = COALESCE(excluded.duration_ms, tracks.duration_ms), explicit = COALESCE(excluded.explicit, tracks.explicit),
                popularity = COALESCE(excluded.popularity, tracks.popularity), preview_url = COALESCE(excluded.preview_url, tracks.preview_url),
                isrc = COALESCE(excluded.isrc, tracks.isrc), artists_json = COALESCE(excluded.artists_json, tracks.artists_json),
                updated_at = excluded.updated_at
            """,
            [
                ("@id", spotifyId), ("@data", JsonBlob.Compress(json)), ("@name", facts.Name), ("@duration", facts.DurationMs),
                ("@explicit", facts.Explicit), ("@popularity", facts.Popularity), ("@preview", facts.PreviewUrl), ("@isrc", facts.Isrc),
                ("@artists", facts.ArtistsJson), ("@now", db.Timestamp(now)),
            ]);

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

    /// <summary>
    /// Tracks an operator's retry-failed would retry ('retrying' or 'failed'), each with whether SoundCharts
    /// answered 410 (final: retrying it pays again for the same refusal).
    /// </summary>
    public async Task<IReadOnlyList<(string SpotifyId, bool Gone)>> OperatorRetryCandidatesAsync()
    {
        await using var connection = await db.OpenAsync();
        await using var command = ReadModelDatabase.Command(connection,
            "SELECT spotify_id, http_status FROM failed_requests WHERE status IN ('retrying', 'failed') ORDER BY spotify_id", []);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), !reader.IsDBNull(1) && reader.GetInt64(1) == 410));
        }
        return rows;
    }

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
