namespace TrackGrains.Grains.ReadModel;

/// <summary>A track as the read model describes it without its grain: the stored Spotify object when there is one, and its columns.</summary>
public sealed record TrackSummary(string Id, string? SpotifyJson, string? Name, string? Isrc, int? DurationMs, bool? Explicit, string? ArtistsJson);
