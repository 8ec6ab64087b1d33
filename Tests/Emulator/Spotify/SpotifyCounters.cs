using System.Collections.Concurrent;

namespace TrackGrains.Emulator.Spotify;

/// <summary>
/// Calls seen by the Spotify side. Endpoints are named by route template, e.g. "/v1/me/tracks"
/// or "/v1/playlists/{id}/tracks".
/// </summary>
public sealed class SpotifyCounters
{
    private readonly ConcurrentDictionary<string, long> _perEndpoint = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _perToken = new(StringComparer.Ordinal);
    private long _apiCalls;
    private long _unauthorized;
    private long _rateLimited;
    private long _faults;
    private long _authorizeCalls;
    private long _tokenCalls;

    /// <summary>Every /v1 call, whatever its answer.</summary>
    public long ApiCalls => Interlocked.Read(ref _apiCalls);

    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Calls answered with an injected fault: a 5xx, a reset connection or a hang.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    public long AuthorizeCalls => Interlocked.Read(ref _authorizeCalls);

    public long TokenCalls => Interlocked.Read(ref _tokenCalls);

    public long CallsTo(string endpoint) => _perEndpoint.GetValueOrDefault(endpoint);

    public long CallsWith(string token) => _perToken.GetValueOrDefault(token);

    public SpotifyCountersSnapshot Snapshot() => new(
        ApiCalls,
        Unauthorized,
        RateLimited,
        AuthorizeCalls,
        TokenCalls,
        new Dictionary<string, long>(_perEndpoint),
        new Dictionary<string, long>(_perToken));

    public void Reset()
    {
        _perEndpoint.Clear();
        _perToken.Clear();
        Interlocked.Exchange(ref _apiCalls, 0);
        Interlocked.Exchange(ref _unauthorized, 0);
        Interlocked.Exchange(ref _rateLimited, 0);
        Interlocked.Exchange(ref _faults, 0);
        Interlocked.Exchange(ref _authorizeCalls, 0);
        Interlocked.Exchange(ref _tokenCalls, 0);
    }

    /// <summary>Returns the running number of /v1 calls, which drives RateLimitEveryN.</summary>
    internal long ApiCall(string endpoint, string? token)
    {
        _perEndpoint.AddOrUpdate(endpoint, 1, static (_, n) => n + 1);
        if (!string.IsNullOrEmpty(token))
        {
            _perToken.AddOrUpdate(token, 1, static (_, n) => n + 1);
        }

        return Interlocked.Increment(ref _apiCalls);
    }

    internal void UnauthorizedCall() => Interlocked.Increment(ref _unauthorized);

    internal void RateLimitedCall() => Interlocked.Increment(ref _rateLimited);

    internal void FaultCall() => Interlocked.Increment(ref _faults);

    internal void AuthorizeCall() => Interlocked.Increment(ref _authorizeCalls);

    internal void TokenCall() => Interlocked.Increment(ref _tokenCalls);
}
