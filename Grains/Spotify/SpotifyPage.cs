namespace TrackGrains.Grains.Spotify;

/// <param name="HasNext">Spotify's <c>next</c> was set: there is another page.</param>
/// <param name="Total">Spotify's <c>total</c>, when sent.</param>
public sealed record SpotifyPage<T>(IReadOnlyList<T> Items, bool HasNext, int? Total);
