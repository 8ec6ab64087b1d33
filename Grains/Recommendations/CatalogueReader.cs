using System.Data.Common;
using System.Text.Json;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Grains.Recommendations;

/// <summary>
/// Reads the rows the recommendation index is built from: every track SoundCharts answered for, its
/// attribute columns, ISRC and artists, from the covering index ix_tracks_recommend (0016_recommendations),
/// so neither the first load nor a refresh reads the compressed payloads.
/// </summary>
public sealed class CatalogueReader(ReadModelDatabase db)
{
    private const string Columns = """
        spotify_id, acousticness, danceability, energy, instrumentalness, liveness, speechiness, valence, tempo, loudness,
        "key", "mode", time_signature, popularity, duration_ms, isrc, artists_json, updated_at
        """;

    /// <summary>The rows written at or after <paramref name="since"/> (every row when null), streamed.</summary>
    public async Task ReadSinceAsync(DateTimeOffset? since, Action<CatalogueRow> row, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var sql = $"SELECT {Columns} FROM tracks {db.Dialect.IndexedBy("ix_tracks_recommend")} " +
                  "WHERE updated_at >= @since AND soundcharts_fetched_at IS NOT NULL";
        await using var command = ReadModelDatabase.Command(connection, sql,
            [("@since", db.Timestamp(since ?? DateTimeOffset.UnixEpoch))]);
        await ReadAllAsync(command, row, cancellationToken);
    }

    /// <summary>The rows of these tracks (those SoundCharts answered for).</summary>
    public Task ReadIdsAsync(IReadOnlyList<string> ids, Action<CatalogueRow> row, CancellationToken cancellationToken = default) =>
        db.ReadByIdsAsync($"SELECT {Columns} FROM tracks WHERE spotify_id IN ({{ids}}) AND soundcharts_fetched_at IS NOT NULL", ids,
            reader => row(Read(reader)), cancellationToken);

    private async Task ReadAllAsync(DbCommand command, Action<CatalogueRow> row, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(Read(reader));
        }
    }

    private CatalogueRow Read(DbDataReader r)
    {
        var values = RecommendationRequest.Unset();
        for (var i = 0; i < TrackAttribute.Count; i++)
        {
            if (!r.IsDBNull(i + 1))
            {
                values[i] = Convert.ToDouble(r.GetValue(i + 1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        // SoundCharts sends key -1 when it detected none: no key to be near.
        if (values[TrackAttribute.Key.Index] < 0)
        {
            values[TrackAttribute.Key.Index] = double.NaN;
        }
        var isrc = r.IsDBNull(15) ? null : r.GetString(15);
        var artists = r.IsDBNull(16) ? [] : ArtistIds(r.GetString(16));
        return new CatalogueRow(r.GetString(0), values, string.IsNullOrEmpty(isrc) ? null : isrc, artists,
            db.ReadTimestamp(r, 17) ?? DateTimeOffset.UnixEpoch);
    }

    /// <summary>The ids of tracks.artists_json, a small array of {id, name}.</summary>
    private static string[] ArtistIds(string artistsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(artistsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
            return document.RootElement.EnumerateArray()
                .Where(a => a.ValueKind == JsonValueKind.Object && a.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                .Select(a => a.GetProperty("id").GetString()!)
                .ToArray();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
