namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>What a sync walks on Spotify.</summary>
[GenerateSerializer, Alias("tg.CollectionType")]
public enum CollectionType
{
    /// <summary>The user's saved tracks (Liked Songs), incrementally unless a full sync is asked for.</summary>
    Saved = 0,
    /// <summary>Every track in the user's playlists; always walked whole.</summary>
    Playlists = 1,
    /// <summary>Saved tracks, then playlists.</summary>
    All = 2,
}
