namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>Why a sync failed, so the gateway can answer with the right status.</summary>
[GenerateSerializer, Alias("tg.SyncFailure")]
public enum SyncFailure
{
    None = 0,
    /// <summary>Spotify answered 401: the user's access token expired or was revoked.</summary>
    TokenRejected = 1,
    /// <summary>Spotify kept answering 429 beyond what the sync waits for.</summary>
    RateLimited = 2,
    /// <summary>Spotify failed otherwise (5xx, timeout, a body we could not read).</summary>
    Upstream = 3,
    /// <summary>The server stopped while the sync ran.</summary>
    Interrupted = 4,
}
