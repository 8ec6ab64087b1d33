namespace TrackGrains.Emulator.Spotify;

/// <summary>
/// Oddities of real libraries, each a deterministic fraction (0..1) of the generated items.
/// Quirk items still count in the library size (and in the paging total).
/// </summary>
public sealed record SpotifyLibraryQuirks
{
    public static readonly SpotifyLibraryQuirks None = new();

    /// <summary>A few of each, roughly as seen in real libraries.</summary>
    public static readonly SpotifyLibraryQuirks Realistic = new()
    {
        NullTrackRate = 0.005,
        LocalFileRate = 0.01,
        DuplicateRate = 0.01,
        RelinkedRate = 0.02,
        EpisodeRate = 0.1,
    };

    /// <summary>Items whose "track" is null.</summary>
    public double NullTrackRate { get; init; }

    /// <summary>Local files: is_local true, id null, uri spotify:local:...</summary>
    public double LocalFileRate { get; init; }

    /// <summary>A track already saved further down, saved again with another added_at.</summary>
    public double DuplicateRate { get; init; }

    /// <summary>Relinked tracks: carry linked_from (outside Development Mode) with the original id.</summary>
    public double RelinkedRate { get; init; }

    /// <summary>Podcast episodes, in playlists only (saved tracks cannot hold episodes).</summary>
    public double EpisodeRate { get; init; }
}
