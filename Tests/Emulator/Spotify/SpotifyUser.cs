using TrackGrains.Emulator.Determinism;

namespace TrackGrains.Emulator.Spotify;

/// <summary>A Spotify account with its saved tracks (newest first) and playlists.</summary>
public sealed class SpotifyUser
{
    private readonly Lock _gate = new();
    private readonly List<SavedItem> _library;
    private int _nextIndex;

    internal SpotifyUser(SpotifyUserOptions options)
    {
        Options = options;
        _library = LibraryGenerator.Library(options);
        _nextIndex = options.LibrarySize;
        Playlists = LibraryGenerator.Playlists(options);
        AccountId = SpotifyId.FromHash(StableHash.Of(0, "account", options.UserId));
    }

    public SpotifyUserOptions Options { get; }

    public string UserId => Options.UserId;

    public string DisplayName => Options.DisplayName ?? Options.UserId;

    /// <summary>Immutable, unlike <see cref="UserId"/> (Spotify's May 2026 addition).</summary>
    public string AccountId { get; }

    public IReadOnlyList<SpotifyPlaylist> Playlists { get; }

    /// <summary>A snapshot of the saved items, newest first.</summary>
    public IReadOnlyList<SavedItem> Library
    {
        get
        {
            lock (_gate)
            {
                return _library.ToList();
            }
        }
    }

    /// <summary>
    /// Saves new tracks (never seen before in this library) as the newest items, one second apart,
    /// at or after <paramref name="now"/>. Returns them newest first.
    /// </summary>
    public IReadOnlyList<SavedItem> AddTracks(int count, DateTimeOffset now)
    {
        lock (_gate)
        {
            var newest = _library.Count > 0 ? _library[0].AddedAt : DateTimeOffset.MinValue;
            var added = new List<SavedItem>(count);
            for (var i = 0; i < count; i++)
            {
                var at = now > newest ? now : newest.AddSeconds(1);
                newest = at;
                var item = new SavedItem(at, SavedItemKind.Track, LibraryGenerator.TrackIdAt(Options.Seed, _nextIndex++));
                _library.Insert(0, item);
                added.Insert(0, item);
            }

            return added;
        }
    }

    /// <summary>Unsaves every item with one of these track ids; returns how many items went.</summary>
    public int RemoveTracks(IEnumerable<string> trackIds)
    {
        var ids = trackIds.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            return _library.RemoveAll(item => item.Id is not null && ids.Contains(item.Id));
        }
    }

    internal (List<SavedItem> Items, int Total) Page(int offset, int limit)
    {
        lock (_gate)
        {
            var items = offset >= _library.Count ? [] : _library.GetRange(offset, Math.Min(limit, _library.Count - offset));
            return (items, _library.Count);
        }
    }
}
