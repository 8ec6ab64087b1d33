namespace TrackGrains.Grains.ReadModel;

/// <summary>A playlist the user's sync walked, with the distinct tracks recorded for it.</summary>
public sealed record PlaylistSummary(string Id, string? Name, long TrackCount, DateTimeOffset SyncedAt);
