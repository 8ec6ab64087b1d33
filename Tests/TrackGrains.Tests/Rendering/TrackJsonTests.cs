using System.Text;
using System.Text.Json;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.Spotify;
using TrackGrains.WebGateway.Rendering;

namespace TrackGrains.Tests.Rendering;

public sealed class TrackJsonTests
{
    private static readonly EnrichmentInfo Enriched = new(EnrichmentStatus.Enriched, DateTimeOffset.UnixEpoch, 1, null, null);

    private static JsonDocument Render(TrackView track, DateTimeOffset? addedAt = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            TrackJson.Write(writer, track, addedAt);
            writer.WriteEndArray();
        }
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void Spotify_fields_pass_through_and_ours_replace_theirs_without_duplicate_names()
    {
        var spotify = """{"id":"spotify-id","name":"Spotify Name","album":{"name":"A","images":[{"url":"u"}]},"duration_ms":1000,"isrc":"x","popularity":null}""";
        var view = new TrackView("7A9rdAz2M6AjRwOa34jxIP", "Our Name", SpotifyObjectFields.Inner(spotify), "uuid", "USX1", new TrackGrains.Grains.Interfaces.Tracks.AudioFeatures { Tempo = 120 }, Enriched, 1000);

        using var document = Render(view, DateTimeOffset.UnixEpoch);
        var track = document.RootElement[0];
        var names = track.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("7A9rdAz2M6AjRwOa34jxIP", track.GetProperty("id").GetString());
        Assert.Equal("Our Name", track.GetProperty("name").GetString());
        Assert.Equal("USX1", track.GetProperty("isrc").GetString());
        Assert.Equal("A", track.GetProperty("album").GetProperty("name").GetString());
        Assert.Equal(1000, track.GetProperty("duration_ms").GetInt32());
        Assert.Equal(JsonValueKind.Null, track.GetProperty("popularity").ValueKind);
        Assert.Equal(120, track.GetProperty("audioFeatures").GetProperty("tempo").GetDouble());
        Assert.Equal("enriched", track.GetProperty("enrichment").GetProperty("status").GetString());
        Assert.True(track.TryGetProperty("addedAt", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"id":"only-ours"}""")]
    public void Without_spotify_fields_the_object_is_ours_alone(string? spotify)
    {
        var fields = spotify is null ? null : SpotifyObjectFields.Inner(spotify);
        var view = new TrackView("7A9rdAz2M6AjRwOa34jxIP", null, fields, null, null, null, Enriched, null);
        using var document = Render(view);
        var track = document.RootElement[0];
        Assert.Equal("7A9rdAz2M6AjRwOa34jxIP", track.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, track.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, track.GetProperty("audioFeatures").ValueKind);
    }
}
