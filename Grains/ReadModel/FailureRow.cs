namespace TrackGrains.Grains.ReadModel;

/// <summary>A row of failed_requests: a track that is not enriched and why.</summary>
public sealed record FailureRow(
    string SpotifyId,
    string Status,
    string? ErrorMessage,
    string? ErrorCode,
    int? HttpStatus,
    int AttemptCount,
    int MaxAttempts,
    DateTimeOffset? LastAttempt,
    DateTimeOffset? NextRetry);
