using System.Globalization;
using System.Net.Http.Json;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Tests.Sync;

namespace TrackGrains.Tests.Recommendations;

/// <summary>
/// A server with a catalogue of its own: a few hundred tracks enriched by id (about 5 % of them unknown
/// to SoundCharts and some with no audio block, so the pool is smaller than what was asked for), to
/// which tests add synced libraries. The index looks for other writers' rows every 200 ms.
/// </summary>
public class RecommendationFixture() : SyncFixture(new Dictionary<string, string?> { ["Recommendations:RefreshInterval"] = "00:00:00.2" })
{
    public const int CatalogueSize = 400;

    public List<string> Catalogue { get; } = TestIds.Tracks(CatalogueSize);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var chunk in Catalogue.Chunk(100))
        {
            using var response = await Admin.PostAsJsonAsync("/api/tracks/batch", new { trackIds = chunk });
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>What the pool holds, read from the database: every track SoundCharts answered for with an audio block.</summary>
    public Task<List<PoolTrack>> PoolAsync() => PoolTrack.ReadAsync(Database);
}

public sealed class RecommendationFixtureOnPostgres : RecommendationFixture
{
    public override bool OnPostgres => true;
}

/// <summary>A pool track's values in the order of Spotify's attribute names below; null where unknown.</summary>
public sealed record PoolTrack(string Id, double?[] Values, string? Isrc)
{
    public static readonly string[] Names =
    [
        "acousticness", "danceability", "energy", "instrumentalness", "liveness", "speechiness", "valence", "tempo", "loudness",
        "key", "mode", "time_signature", "popularity", "duration_ms",
    ];

    public double? this[string name] => Values[Array.IndexOf(Names, name)];

    /// <summary>What the pool of the server on <paramref name="database"/> holds: every track SoundCharts answered for with an audio block.</summary>
    public static async Task<List<PoolTrack>> ReadAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT spotify_id, acousticness, danceability, energy, instrumentalness, liveness, speechiness, valence, tempo, loudness,
                   "key", "mode", time_signature, popularity, duration_ms, isrc
            FROM tracks WHERE soundcharts_fetched_at IS NOT NULL
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var pool = new List<PoolTrack>();
        while (await reader.ReadAsync())
        {
            var values = new double?[14];
            for (var i = 0; i < 14; i++)
            {
                values[i] = reader.IsDBNull(i + 1) ? null : Convert.ToDouble(reader.GetValue(i + 1), CultureInfo.InvariantCulture);
            }
            var track = new PoolTrack(reader.GetString(0), values, reader.IsDBNull(15) ? null : reader.GetString(15));
            if (track.HasAudio)
            {
                pool.Add(track);
            }
        }
        return pool;
    }

    public bool HasAudio => Values.Take(9).Any(v => v is not null);
}
