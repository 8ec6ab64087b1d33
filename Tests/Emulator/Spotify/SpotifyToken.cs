namespace TrackGrains.Emulator.Spotify;

/// <summary>An access token and how it ends: after N calls, at a time, or on demand.</summary>
public sealed class SpotifyToken(string value, SpotifyUser user, int? expiresAfterCalls, DateTimeOffset? expiresAt)
{
    private int _calls;
    private volatile bool _expired;

    public string Value { get; } = value;

    public SpotifyUser User { get; } = user;

    public int? ExpiresAfterCalls { get; } = expiresAfterCalls;

    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    public int Calls => Volatile.Read(ref _calls);

    public void Expire() => _expired = true;

    /// <summary>Counts a call; false when the token has expired (then or before).</summary>
    internal bool TryUse(DateTimeOffset now)
    {
        if (_expired || now >= ExpiresAt)
        {
            return false;
        }

        var calls = Interlocked.Increment(ref _calls);
        if (calls > ExpiresAfterCalls)
        {
            _expired = true;
            return false;
        }

        return true;
    }
}
