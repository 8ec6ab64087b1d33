using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Compat;

/// <summary>
/// A fresh gateway (on a loopback port) whose recommendation pool is exactly what this fixture had enriched: a catalogue
/// of <see cref="CatalogueSize"/> fresh ids, plus any seed a test lets the server enrich on demand (<see cref="Enriched"/>).
/// Expected values come from the emulator's catalogue, a pure function of the id.
/// </summary>
public sealed class RecommendationsSdkFixture : SdkGatewayFixture
{
    public const int CatalogueSize = 300;

    private readonly ConcurrentDictionary<string, bool> _enriched = new(StringComparer.Ordinal);

    /// <summary>Every id this server has enriched: the catalogue, and seeds it was asked about first.</summary>
    public IReadOnlyCollection<string> Enriched => [.. _enriched.Keys];

    /// <summary>The catalogue ids whose SoundCharts answer has audio features, i.e. that can be recommended.</summary>
    public List<string> CatalogueWithAudio { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var catalogue = TestIds.Tracks(CatalogueSize);
        foreach (var chunk in catalogue.Chunk(100))
        {
            using var response = await User.PostAsJsonAsync("/api/tracks/batch", new { trackIds = chunk });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var failed = body.GetProperty("failed").EnumerateArray().Select(e => e.GetString()).ToList();
            if (failed.Count > 0)
            {
                throw new InvalidOperationException($"the catalogue must be fully enriched; not enriched: {string.Join(", ", failed)}");
            }
        }
        foreach (var id in catalogue)
        {
            _enriched[id] = true;
        }
        CatalogueWithAudio = [.. catalogue.Where(id => Emulator.State.Catalogue.GetSong(id).Audio is not null)];
    }

    /// <summary>Records an id the server enriched by itself (a seed it did not know), so later pools count it.</summary>
    public void RecordEnriched(string id) => _enriched[id] = true;

    /// <summary>
    /// One audio attribute of a track as Spotify names it (energy, tempo, duration_ms ...), from the emulator's SoundCharts
    /// song; null when SoundCharts gives no value (no audio at all, or no acousticness).
    /// </summary>
    public double? Feature(string id, string attribute)
    {
        var song = Emulator.State.Catalogue.GetSong(id);
        var audio = song.Audio;
        if (audio is null)
        {
            return null;
        }
        return attribute switch
        {
            "acousticness" => audio.Acousticness,
            "danceability" => audio.Danceability,
            "energy" => audio.Energy,
            "instrumentalness" => audio.Instrumentalness,
            "key" => audio.Key,
            "liveness" => audio.Liveness,
            "loudness" => audio.Loudness,
            "mode" => audio.Mode,
            "speechiness" => audio.Speechiness,
            "tempo" => audio.Tempo,
            "time_signature" => audio.TimeSignature,
            "valence" => audio.Valence,
            // Only SoundCharts knows these tracks here: its duration (seconds) in milliseconds.
            "duration_ms" => song.Duration * 1000,
            _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "not an attribute these tests check"),
        };
    }

    /// <summary>Whether a track passes every min_/max_ entry of <paramref name="request"/> (other entries are ignored).</summary>
    public bool PassesFilters(string id, IReadOnlyDictionary<string, object> request) => request.All(entry =>
    {
        var isMin = entry.Key.StartsWith("min_", StringComparison.Ordinal);
        if (!isMin && !entry.Key.StartsWith("max_", StringComparison.Ordinal))
        {
            return true;
        }
        var bound = Convert.ToDouble(entry.Value, CultureInfo.InvariantCulture);
        return Feature(id, entry.Key[4..]) is { } value && (isMin ? value >= bound : value <= bound);
    });

    /// <summary>The tracks a request may pick from: enriched, with audio, passing its filters, not one of its seeds.</summary>
    public List<string> FilteredPool(IReadOnlyDictionary<string, object> request, IReadOnlyCollection<string> seeds) =>
        [.. Enriched.Where(id => !seeds.Contains(id) && Emulator.State.Catalogue.GetSong(id).Audio is not null && PassesFilters(id, request))];
}
