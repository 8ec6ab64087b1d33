using TrackGrains.Grains.Recommendations;
using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// The tracks and failed_requests tables. Track grains write here; the payloads live only here
/// (compressed), so the grain state stays small and no large JSON is stored twice.
/// </summary>
public sealed class TrackStore(ReadModelDatabase db, CatalogueChanges changes)
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

    /// <summary>
    /// What the recommendations endpoint answers for each of these tracks: the stored Spotify object, or
    /// for a track only SoundCharts knows, the columns to describe it with. A track with no row is left out.
    /// </summary>
    public async Task<Dictionary<string, TrackSummary>> SummariesAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, TrackSummary>(StringComparer.Ordinal);
        await db.ReadByIdsAsync(
            "SELECT spotify_id, spotify_data, name, isrc, duration_ms, explicit, artists_json FROM tracks WHERE spotify_id IN ({ids})", ids,
            reader => found[reader.GetString(0)] = new TrackSummary(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : JsonBlob.Decompress((byte[])reader.GetValue(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : Convert.ToInt32(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(5) ? null : Convert.ToBoolean(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(6) ? null : reader.GetString(6)),
            cancellationToken);
        return found;
    }

    /// <summary>
    /// The SoundCharts payload and its columns. A track SoundCharts names before Spotify does (a single
    /// lookup) gets its folded name for search too; a name already there stays, as in tracks.name.
    /// </summary>
    public async Task SaveSoundChartsAsync(string spotifyId, string json, SongFacts song, DateTimeOffset fetchedAt)
    {
        var audio = song.Audio;
        await db.ExecuteAllAsync([("""
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
            ]),
            ("""
            INSERT INTO track_search (spotify_id, name_folded) VALUES (@id, @folded)
            ON CONFLICT (spotify_id) DO UPDATE SET name_folded = COALESCE(track_search.name_folded, excluded.name_folded)
            """, [("@id", spotifyId), ("@folded", SearchText.Fold(song.Name))]),
        ]);
        changes.Written(spotifyId);
    }

    /// <summary>The Spotify payload, its columns in tracks and its search and export text in track_search, in one transaction.</summary>
    public async Task SaveSpotifyAsync(string spotifyId, string json, SpotifyTrackFacts facts, DateTimeOffset now)
    {
        await db.ExecuteAllAsync([("""
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
            ]),
            (SaveSearchSql, SearchParameters(spotifyId, facts)),
        ]);
        // Popularity, duration, ISRC and artists come from Spotify: the recommendation index filters on them.
        changes.Written(spotifyId);
    }

    // Spotify's names win over SoundCharts' (as in tracks.name); artist_names is '' rather than null once a
    // Spotify object was seen, which is how the back-fill tells a filled row from one still to fill.
    private const string SaveSearchSql = """
        INSERT INTO track_search (spotify_id, name_folded, artist_names, artists_folded, album_name, release_date)
        VALUES (@id, @folded, @artistNames, @artistsFolded, @album, @release)
        ON CONFLICT (spotify_id) DO UPDATE SET
            name_folded = COALESCE(excluded.name_folded, track_search.name_folded), artist_names = excluded.artist_names,
            artists_folded = excluded.artists_folded, album_name = COALESCE(excluded.album_name, track_search.album_name),
            release_date = COALESCE(excluded.release_date, track_search.release_date)
        """;

    private static List<(string, object?)> SearchParameters(string spotifyId, SpotifyTrackFacts facts) =>
    [
        ("@id", spotifyId), ("@folded", facts.NameFolded), ("@artistNames", facts.ArtistNames ?? ""),
        ("@artistsFolded", facts.ArtistsFolded ?? ""), ("@album", facts.AlbumName), ("@release", facts.ReleaseDate),
    ];

    /// <summary>
    /// Fills track_search for tracks stored before it existed, from the stored Spotify payload (or the name
    /// alone for a track with none), a batch at a time so a large file is never read into memory at once.
    /// Returns how many tracks it filled. Idempotent: a filled track is not selected again.
    /// </summary>
    public async Task<int> BackfillSearchColumnsAsync(int batchSize = 500, CancellationToken cancellationToken = default)
    {
        var filled = 0;
        while (true)
        {
            var batch = new List<(string Id, string? Name, byte[]? Spotify)>(batchSize);
            await using (var connection = await db.OpenAsync(cancellationToken))
            await using (var select = ReadModelDatabase.Command(connection, """
                SELECT t.spotify_id, t.name, t.spotify_data FROM tracks t LEFT JOIN track_search f ON f.spotify_id = t.spotify_id
                WHERE (f.spotify_id IS NULL AND (t.name IS NOT NULL OR t.spotify_data IS NOT NULL))
                   OR (f.artist_names IS NULL AND t.spotify_data IS NOT NULL)
                LIMIT @n
                """, [("@n", batchSize)]))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2)));
                }
            }
            if (batch.Count == 0)
            {
                return filled;
            }
            await db.ExecuteAllAsync(batch.Select(track => track.Spotify is { } spotify
                    ? (SaveSearchSql, (IReadOnlyList<(string, object?)>)SearchParameters(track.Id, SpotifyTrackFacts.Read(JsonBlob.Decompress(spotify))))
                    : ("""
                       INSERT INTO track_search (spotify_id, name_folded) VALUES (@id, @folded)
                       ON CONFLICT (spotify_id) DO UPDATE SET name_folded = COALESCE(track_search.name_folded, excluded.name_folded)
                       """, [("@id", track.Id), ("@folded", SearchText.Fold(track.Name))]))
                .ToList(), cancellationToken);
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
