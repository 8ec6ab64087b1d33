using TrackGrains.Emulator.Determinism;

namespace TrackGrains.Emulator.Spotify;

/// <summary>
/// Builds a user's saved items and playlists from their seed. Item 0 is the newest; added_at
/// goes back from a fixed epoch in deterministic gaps, so the same seed gives the same library.
/// </summary>
internal static class LibraryGenerator
{
    /// <summary>Generated libraries end here; tracks added later by tests are newer.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    // How far down a duplicate may look for the earlier save of the same track.
    private const int DuplicateReach = 10;

    public static string TrackIdAt(long seed, int index) => SpotifyId.FromHash(StableHash.Of(seed, "library-track", "", index));

    public static List<SavedItem> Library(SpotifyUserOptions options)
    {
        var items = new List<SavedItem>(options.LibrarySize);
        var addedAt = Epoch;
        for (var i = 0; i < options.LibrarySize; i++)
        {
            var gapMinutes = 30 + (int)(StableHash.Of(options.Seed, "gap", "", i) % (72 * 60));
            addedAt -= TimeSpan.FromMinutes(gapMinutes);
            items.Add(LibraryItem(options, i, addedAt));
        }

        return items;
    }

    public static List<SpotifyPlaylist> Playlists(SpotifyUserOptions options)
    {
        var playlists = new List<SpotifyPlaylist>(options.PlaylistCount);
        for (var p = 0; p < options.PlaylistCount; p++)
        {
            var id = SpotifyId.FromHash(StableHash.Of(options.Seed, "playlist", options.UserId, p));
            var items = new List<SavedItem>(options.PlaylistSize);
            var addedAt = Epoch;
            for (var i = 0; i < options.PlaylistSize; i++)
            {
                addedAt -= TimeSpan.FromHours(1 + (int)(StableHash.Of(options.Seed, "playlist-gap", id, i) % 200));
                items.Add(PlaylistItem(options, id, i, addedAt));
            }

            // Playlists list oldest first, as Spotify keeps them in the order they were built.
            items.Reverse();
            playlists.Add(new SpotifyPlaylist(id, $"{options.DisplayName ?? options.UserId}'s mix #{p + 1}", options.UserId, items));
        }

        return playlists;
    }

    private static SavedItem LibraryItem(SpotifyUserOptions options, int index, DateTimeOffset addedAt)
    {
        var quirks = options.Quirks;
        var u = StableHash.Unit(StableHash.Of(options.Seed, "quirk", "", index));
        if ((u -= quirks.NullTrackRate) < 0)
        {
            return new SavedItem(addedAt, SavedItemKind.NullTrack, null);
        }

        if ((u -= quirks.LocalFileRate) < 0)
        {
            return LocalFile(options.Seed, "library", index, addedAt);
        }

        if ((u -= quirks.DuplicateRate) < 0)
        {
            for (var j = index + 1; j < Math.Min(options.LibrarySize, index + 1 + DuplicateReach); j++)
            {
                if (IsPlainTrack(options, j))
                {
                    return new SavedItem(addedAt, SavedItemKind.Track, TrackIdAt(options.Seed, j));
                }
            }
        }
        else if ((u -= quirks.RelinkedRate) < 0)
        {
            var original = SpotifyId.FromHash(StableHash.Of(options.Seed, "linked-from", "", index));
            return new SavedItem(addedAt, SavedItemKind.Track, TrackIdAt(options.Seed, index), LinkedFromId: original);
        }

        return new SavedItem(addedAt, SavedItemKind.Track, TrackIdAt(options.Seed, index));
    }

    private static bool IsPlainTrack(SpotifyUserOptions options, int index)
    {
        var q = options.Quirks;
        var u = StableHash.Unit(StableHash.Of(options.Seed, "quirk", "", index));
        return u >= q.NullTrackRate + q.LocalFileRate + q.DuplicateRate + q.RelinkedRate;
    }

    private static SavedItem PlaylistItem(SpotifyUserOptions options, string playlistId, int index, DateTimeOffset addedAt)
    {
        var quirks = options.Quirks;
        var u = StableHash.Unit(StableHash.Of(options.Seed, "playlist-quirk", playlistId, index));
        if ((u -= quirks.EpisodeRate) < 0)
        {
            return new SavedItem(addedAt, SavedItemKind.Episode, SpotifyId.FromHash(StableHash.Of(options.Seed, "episode", playlistId, index)));
        }

        if ((u -= quirks.NullTrackRate) < 0)
        {
            return new SavedItem(addedAt, SavedItemKind.NullTrack, null);
        }

        if ((u -= quirks.LocalFileRate) < 0)
        {
            return LocalFile(options.Seed, playlistId, index, addedAt);
        }

        return new SavedItem(addedAt, SavedItemKind.Track, SpotifyId.FromHash(StableHash.Of(options.Seed, "playlist-track", playlistId, index)));
    }

    private static SavedItem LocalFile(long seed, string where, int index, DateTimeOffset addedAt) =>
        new(addedAt, SavedItemKind.LocalFile, null, LocalName: $"Home Recording {StableHash.Of(seed, "local", where, index) % 1000:000}");
}
