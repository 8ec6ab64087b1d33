namespace TrackGrains.Tests.Backups;

public sealed record ListedKey(string AppId, bool IsActive, long TotalRequests);
