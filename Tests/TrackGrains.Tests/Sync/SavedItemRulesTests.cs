using System.Text.Json;
using TrackGrains.Grains.Library;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.Tests.Sync;

public sealed class SavedItemRulesTests
{
    private static readonly DateTimeOffset Cursor = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Known = "0000000000000000000001";
    private const string Fresh = "0000000000000000000002";

    private static SpotifyLibraryItem Track(string id, DateTimeOffset addedAt) => new(SpotifyItemKind.Track, addedAt, id, $$"""{"id":"{{id}}"}""");

    [Fact]
    public void Incremental_sync_stops_only_at_a_known_track_strictly_older_than_the_cursor()
    {
        var known = new Dictionary<string, DateTimeOffset> { [Known] = Cursor };
        Assert.Equal(SavedItemDecision.Unchanged, SavedItemRules.Decide(Track(Known, Cursor), known, Cursor, true, []));
        Assert.Equal(SavedItemDecision.Stop, SavedItemRules.Decide(Track(Known, Cursor.AddSeconds(-1)), known, Cursor, true, []));
        Assert.Equal(SavedItemDecision.Process, SavedItemRules.Decide(Track(Fresh, Cursor.AddDays(-3)), known, Cursor, true, []));
        Assert.Equal(SavedItemDecision.Process, SavedItemRules.Decide(Track(Known, Cursor.AddSeconds(-1)), known, Cursor, false, []));
        // A known track saved again after the cursor moves to its new place.
        Assert.Equal(SavedItemDecision.Process, SavedItemRules.Decide(Track(Known, Cursor.AddDays(1)), known, Cursor, true, []));
    }

    [Fact]
    public void The_first_occurrence_of_a_track_wins_and_quirks_are_skipped()
    {
        var seen = new HashSet<string>();
        var none = new Dictionary<string, DateTimeOffset>();
        Assert.Equal(SavedItemDecision.Process, SavedItemRules.Decide(Track(Fresh, Cursor), none, null, false, seen));
        Assert.Equal(SavedItemDecision.SkipDuplicate, SavedItemRules.Decide(Track(Fresh, Cursor.AddDays(-1)), none, null, false, seen));
        Assert.Equal(SavedItemDecision.SkipNullTrack, SavedItemRules.Decide(new(SpotifyItemKind.NullTrack, Cursor, null, null), none, null, false, seen));
        Assert.Equal(SavedItemDecision.SkipMalformed, SavedItemRules.Decide(new(SpotifyItemKind.Track, null, Known, "{}"), none, null, false, seen));
    }

    [Theory]
    [InlineData("""{"added_at":"2026-01-01T00:00:00Z","track":null}""", SpotifyItemKind.NullTrack)]
    [InlineData("""{"added_at":"2026-01-01T00:00:00Z"}""", SpotifyItemKind.NullTrack)]
    [InlineData("""{"added_at":"2026-01-01T00:00:00Z","track":{"id":null,"is_local":true,"name":"x"}}""", SpotifyItemKind.LocalFile)]
    [InlineData("""{"added_at":"2026-01-01T00:00:00Z","is_local":true,"track":{"id":null}}""", SpotifyItemKind.LocalFile)]
    [InlineData("""{"added_at":null,"track":{"id":"4uLU6hMCjMI75M1A2tKUQC","type":"episode"}}""", SpotifyItemKind.Episode)]
    [InlineData("""{"track":{"id":"not-an-id"}}""", SpotifyItemKind.Malformed)]
    [InlineData("""{"track":"text"}""", SpotifyItemKind.Malformed)]
    [InlineData("""[1]""", SpotifyItemKind.Malformed)]
    [InlineData("""{"added_at":"garbage","track":{"id":"4uLU6hMCjMI75M1A2tKUQC","name":"no popularity, no markets"}}""", SpotifyItemKind.Track)]
    public void Items_are_read_tolerantly(string json, SpotifyItemKind expected)
    {
        using var document = JsonDocument.Parse(json);
        var item = SpotifyLibraryItem.Read(document.RootElement);
        Assert.Equal(expected, item.Kind);
        if (expected == SpotifyItemKind.Track)
        {
            Assert.Null(item.AddedAt);
            Assert.Equal("4uLU6hMCjMI75M1A2tKUQC", item.TrackId);
            Assert.Equal(document.RootElement.GetProperty("track").GetRawText(), item.TrackJson);
        }
    }
}
