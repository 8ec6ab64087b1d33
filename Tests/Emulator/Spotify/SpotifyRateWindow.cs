namespace TrackGrains.Emulator.Spotify;

/// <summary>The rolling window behind <see cref="SpotifySettings.RateLimitPerWindow"/>, and its penalty.</summary>
internal sealed class SpotifyRateWindow
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _calls = new();
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    /// <summary>Admits a call, or returns how long the caller must wait.</summary>
    public TimeSpan? Admit(SpotifySettings settings, DateTimeOffset now)
    {
        if (settings.RateLimitPerWindow is not { } limit)
        {
            return null;
        }
        lock (_gate)
        {
            if (now < _blockedUntil)
            {
                return _blockedUntil - now;
            }
            while (_calls.Count > 0 && _calls.Peek() <= now - settings.RateLimitWindow)
            {
                _calls.Dequeue();
            }
            if (_calls.Count >= limit)
            {
                _blockedUntil = now + settings.RateLimitRetryAfter;
                _calls.Clear();
                return settings.RateLimitRetryAfter;
            }
            _calls.Enqueue(now);
            return null;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _calls.Clear();
            _blockedUntil = DateTimeOffset.MinValue;
        }
    }
}
