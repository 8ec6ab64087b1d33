using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Npgsql;
using TrackGrains.Emulator.Determinism;
using StableHash = TrackGrains.Emulator.Determinism.StableHash;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// A large enriched catalogue written straight into a stopped gateway's read model: syncing 100,000 tracks
/// through the emulator takes about 8 minutes on this machine, and what the recommendations phase measures is
/// reading that catalogue, not building it. Each row is what the two track projections
/// (<see cref="TrackStore.SaveSpotifyAsync"/>, then <see cref="TrackStore.SaveSoundChartsAsync"/>, the order of a
/// library sync) would have left: the emulator's own Spotify object (fetched from it over HTTP, 50 per call) and
/// its SoundCharts answer (serialised from the same deterministic catalogue the emulator answers from), parsed
/// by the server's own parsers and compressed by its own codec. One transaction, multi-row INSERTs.
/// </summary>
public static class RecommendationCatalogue
{
    private const int RowsPerInsert = 100;
    private const int SpotifyIdsPerCall = 50;

    // The emulator's wire settings for SoundCharts answers (Tests/Emulator/EmulatorJson.cs, internal there).
    private static readonly JsonSerializerOptions SoundChartsWire = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] TrackColumns =
    [
        "spotify_id", "soundcharts_uuid", "spotify_data", "soundcharts_data", "soundcharts_fetched_at", "name", "duration_ms", "explicit",
        "popularity", "preview_url", "isrc", "tempo", "energy", "danceability", "valence", "acousticness", "instrumentalness", "liveness",
        "loudness", "speechiness", "\"key\"", "\"mode\"", "time_signature", "artists_json", "created_at", "updated_at",
    ];

    private static readonly string[] SearchColumns = ["spotify_id", "name_folded", "artist_names", "artists_folded", "album_name", "release_date"];

    private static readonly string[] LibraryColumns = ["user_id", "spotify_id", "added_at"];

    /// <summary><paramref name="count"/> distinct, valid Spotify ids, the same in every run.</summary>
    public static List<string> TrackIds(int count) =>
        Enumerable.Range(0, count).Select(i => SpotifyId.FromHash(StableHash.Of(1, "bench-recommendations", "", i))).ToList();

    /// <summary>
    /// Writes every id as an enriched track and <paramref name="libraryIds"/> as <paramref name="userId"/>'s saved
    /// tracks. <paramref name="spotify"/> calls the emulator's Spotify API (GET /v1/tracks?ids=, which needs a
    /// non-Development-Mode emulator) with a user's token.
    /// </summary>
    public static async Task<CatalogueFill> FillAsync(Stage stage, HttpClient spotify, IReadOnlyList<string> ids, string userId,
        IReadOnlyList<string> libraryIds)
    {
        var started = Stopwatch.GetTimestamp();
        var catalogue = stage.Emulator.State.Catalogue;
        var postgres = stage.PostgresConnectionString is not null;
        var now = DateTimeOffset.UtcNow;
        // A catalogue gathered over a month, the newest track a day old: the index's periodic look for rows other silos
        // wrote (updated_at within two minutes of the newest seen) then finds what a steady server would, not all of it.
        var oldest = now.AddDays(-30);
        var step = TimeSpan.FromTicks(TimeSpan.FromDays(29).Ticks / Math.Max(1, ids.Count));
        var position = 0;
        await using DbConnection connection = postgres
            ? new NpgsqlConnection(stage.PostgresConnectionString + ";Pooling=false")
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = stage.DatabasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await connection.OpenAsync();
        if (!postgres)
        {
            // Only this connection's page cache (the default is 2 MB): the ids are random, so every index takes its inserts
            // all over its B-tree, and with a small cache the transaction spills pages to the WAL over and over.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -262144";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var transaction = await connection.BeginTransactionAsync();

        var tracks = new MultiRowInsert(connection, transaction, "tracks", TrackColumns);
        var search = new MultiRowInsert(connection, transaction, "track_search", SearchColumns);
        var rows = new List<TrackRow>(ids.Count);
        var withAudio = new List<string>();
        var artistsOf = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        long spotifyBytes = 0, soundChartsBytes = 0;
        TimeSpan fetching = default, building = default;
        foreach (var chunk in ids.Chunk(1000))
        {
            var timer = Stopwatch.GetTimestamp();
            var spotifyJson = await SpotifyObjectsAsync(spotify, chunk);
            fetching += Stopwatch.GetElapsedTime(timer);
            timer = Stopwatch.GetTimestamp();
            var built = new TrackRow[chunk.Length];
            Parallel.For(0, chunk.Length, i => built[i] = Row(chunk[i], spotifyJson[chunk[i]], catalogue));
            building += Stopwatch.GetElapsedTime(timer);
            foreach (var row in built)
            {
                var stamp = Timestamp(oldest + (step * position++), postgres);
                await tracks.AddAsync(
                [
                    row.Id, row.Song.Uuid, row.SpotifyBlob, row.SoundChartsBlob, stamp, row.Spotify.Name ?? row.Song.Name,
                    row.Spotify.DurationMs ?? row.Song.DurationSeconds * 1000, row.Spotify.Explicit ?? row.Song.Explicit, row.Spotify.Popularity,
                    row.Spotify.PreviewUrl, row.Spotify.Isrc ?? row.Song.Isrc, row.Song.Audio?.Tempo, row.Song.Audio?.Energy,
                    row.Song.Audio?.Danceability, row.Song.Audio?.Valence, row.Song.Audio?.Acousticness, row.Song.Audio?.Instrumentalness,
                    row.Song.Audio?.Liveness, row.Song.Audio?.Loudness, row.Song.Audio?.Speechiness, row.Song.Audio?.Key, row.Song.Audio?.Mode,
                    row.Song.Audio?.TimeSignature, row.Spotify.ArtistsJson, stamp, stamp,
                ]);
                await search.AddAsync([row.Id, row.Spotify.NameFolded, row.Spotify.ArtistNames ?? "", row.Spotify.ArtistsFolded ?? "",
                    row.Spotify.AlbumName, row.Spotify.ReleaseDate]);
                if (row.Song.Audio is not null)
                {
                    withAudio.Add(row.Id);
                }
                artistsOf[row.Id] = row.ArtistIds;
                spotifyBytes += row.SpotifyBlob.Length;
                soundChartsBytes += row.SoundChartsBlob.Length;
            }
        }
        await tracks.FlushAsync();
        await search.FlushAsync();

        // Newest first is the library's natural order: one saved track a minute, going back.
        var library = new MultiRowInsert(connection, transaction, "library_tracks", LibraryColumns);
        for (var i = 0; i < libraryIds.Count; i++)
        {
            await library.AddAsync([userId, libraryIds[i], Timestamp(now.AddMinutes(-i), postgres)]);
        }
        await library.FlushAsync();
        await transaction.CommitAsync();
        var took = Stopwatch.GetElapsedTime(started);
        return new CatalogueFill(ids.Count, withAudio, artistsOf, libraryIds.Count, took, fetching, building, took - fetching - building,
            spotifyBytes / (double)ids.Count, soundChartsBytes / (double)ids.Count);
    }

    /// <summary>
    /// Stamps every track's updated_at with now while the gateway runs, as another silo re-writing the whole catalogue
    /// would (a restore, a mass re-enrichment); nothing else in the rows changes. Returns the rows touched.
    /// </summary>
    public static async Task<int> TouchAllAsync(Stage stage)
    {
        var postgres = stage.PostgresConnectionString is not null;
        await using DbConnection connection = postgres
            ? new NpgsqlConnection(stage.PostgresConnectionString + ";Pooling=false")
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = stage.DatabasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE tracks SET updated_at = @now";
        var now = command.CreateParameter();
        now.ParameterName = "@now";
        now.Value = Timestamp(DateTimeOffset.UtcNow, postgres);
        command.Parameters.Add(now);
        command.CommandTimeout = 120;
        return await command.ExecuteNonQueryAsync();
    }

    private static TrackRow Row(string id, string spotifyJson, SoundChartsCatalogue catalogue)
    {
        var soundChartsJson = JsonSerializer.Serialize(new { type = "song", @object = catalogue.GetSong(id), errors = Array.Empty<object>() }, SoundChartsWire);
        var song = SongParser.TryParse(soundChartsJson) ?? throw new InvalidOperationException($"The server's parser did not read the SoundCharts song of {id}.");
        var facts = SpotifyTrackFacts.Read(spotifyJson);
        using var artists = JsonDocument.Parse(facts.ArtistsJson ?? "[]");
        var artistIds = artists.RootElement.EnumerateArray().Select(a => a.GetProperty("id").GetString()).OfType<string>().ToList();
        return new TrackRow(id, song, facts, JsonBlob.Compress(spotifyJson), JsonBlob.Compress(soundChartsJson), artistIds);
    }

    private static async Task<Dictionary<string, string>> SpotifyObjectsAsync(HttpClient spotify, IReadOnlyList<string> ids)
    {
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var batch in ids.Chunk(SpotifyIdsPerCall))
        {
            using var response = await spotify.GetAsync("/v1/tracks?ids=" + string.Join(",", batch));
            var body = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The emulator's GET /v1/tracks answered {(int)response.StatusCode}: {TrackApi.Truncate(body)}");
            }
            using var document = JsonDocument.Parse(body);
            foreach (var track in document.RootElement.GetProperty("tracks").EnumerateArray())
            {
                objects[track.GetProperty("id").GetString()!] = track.GetRawText();
            }
        }
        return objects;
    }

    // As the server's dialects write instants: ISO-8601 "O" text in SQLite, timestamptz (a UTC DateTime) in PostgreSQL.
    private static object Timestamp(DateTimeOffset value, bool postgres) =>
        postgres ? value.UtcDateTime : value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private sealed record TrackRow(string Id, SongFacts Song, SpotifyTrackFacts Spotify, byte[] SpotifyBlob, byte[] SoundChartsBlob, IReadOnlyList<string> ArtistIds);

    /// <summary>Rows collected and written <see cref="RowsPerInsert"/> to a statement, on one connection and transaction.</summary>
    private sealed class MultiRowInsert(DbConnection connection, DbTransaction transaction, string table, string[] columns)
    {
        private readonly List<object?[]> _pending = new(RowsPerInsert);
        private DbCommand? _full;

        public async Task AddAsync(object?[] row)
        {
            _pending.Add(row);
            if (_pending.Count == RowsPerInsert)
            {
                _full ??= Command(RowsPerInsert);
                await RunAsync(_full);
            }
        }

        public async Task FlushAsync()
        {
            if (_pending.Count > 0)
            {
                await using var rest = Command(_pending.Count);
                await RunAsync(rest);
            }
            if (_full is not null)
            {
                await _full.DisposeAsync();
                _full = null;
            }
        }

        private async Task RunAsync(DbCommand command)
        {
            for (var r = 0; r < _pending.Count; r++)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    command.Parameters[(r * columns.Length) + c].Value = _pending[r][c] ?? DBNull.Value;
                }
            }
            await command.ExecuteNonQueryAsync();
            _pending.Clear();
        }

        private DbCommand Command(int rows)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = new List<string>(rows);
            for (var r = 0; r < rows; r++)
            {
                var names = new string[columns.Length];
                for (var c = 0; c < columns.Length; c++)
                {
                    names[c] = string.Create(CultureInfo.InvariantCulture, $"@p{(r * columns.Length) + c}");
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = names[c];
                    command.Parameters.Add(parameter);
                }
                values.Add("(" + string.Join(", ", names) + ")");
            }
            command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {string.Join(", ", values)}";
            return command;
        }
    }
}

/// <summary>What <see cref="RecommendationCatalogue.FillAsync"/> wrote.</summary>
/// <param name="WithAudio">Ids whose SoundCharts answer has audio features (the recommendation pool), in catalogue order.</param>
/// <param name="ArtistsOf">Each track's Spotify artist ids, as its artists_json holds them.</param>
/// <param name="BuildingRows">Serialising, parsing and compressing the payloads (on every core).</param>
/// <param name="Writing">The INSERTs and the commit.</param>
public sealed record CatalogueFill(
    int Tracks,
    IReadOnlyList<string> WithAudio,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ArtistsOf,
    int LibraryTracks,
    TimeSpan Took,
    TimeSpan FetchingSpotifyObjects,
    TimeSpan BuildingRows,
    TimeSpan Writing,
    double SpotifyBlobBytesPerTrack,
    double SoundChartsBlobBytesPerTrack);
