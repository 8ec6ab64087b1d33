namespace TrackGrains.Grains.Spotify;

/// <summary>What an item of a saved-tracks or playlist page turned out to be.</summary>
public enum SpotifyItemKind
{
    Track,
    /// <summary><c>"track": null</c> (removed from Spotify, or unavailable).</summary>
    NullTrack,
    /// <summary>A local file: <c>is_local: true</c>, no id.</summary>
    LocalFile,
    /// <summary>A podcast episode in a playlist.</summary>
    Episode,
    /// <summary>Not an object we can read, or a track without a valid id.</summary>
    Malformed,
}
