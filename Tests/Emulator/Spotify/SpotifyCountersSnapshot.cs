namespace TrackGrains.Emulator.Spotify;

public sealed record SpotifyCountersSnapshot(
    long ApiCalls,
    long Unauthorized,
    long RateLimited,
    long AuthorizeCalls,
    long TokenCalls,
    IReadOnlyDictionary<string, long> CallsPerEndpoint,
    IReadOnlyDictionary<string, long> CallsPerToken);
