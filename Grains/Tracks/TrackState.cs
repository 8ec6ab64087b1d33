using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.Grains.Tracks;

/// <summary>
/// A track's fetch state, persisted by the grain storage. The payloads are not here: they are
/// stored once, compressed, in the tracks table. Ids are never renumbered.
/// </summary>
[GenerateSerializer, Alias("tg.TrackState")]
public sealed class TrackState
{
    [Id(0)] public EnrichmentStatus Status { get; set; }
    /// <summary>Failed attempts in the current schedule (rate-limit rotations and key waits do not count).</summary>
    [Id(1)] public int Attempts { get; set; }
    [Id(2)] public string? LastError { get; set; }
    [Id(3)] public string? LastErrorCode { get; set; }
    [Id(4)] public int? LastHttpStatus { get; set; }
    [Id(5)] public DateTimeOffset? NextRetryAt { get; set; }
    [Id(6)] public DateTimeOffset? FetchedAt { get; set; }
    [Id(7)] public DateTimeOffset? NotFoundSince { get; set; }
    [Id(8)] public bool NotFoundRechecked { get; set; }
    [Id(9)] public DateTimeOffset? LastAttemptAt { get; set; }
    /// <summary>Pending because no key could serve; the key wait queue will wake it.</summary>
    [Id(10)] public bool WaitingForKey { get; set; }
    /// <summary>Every attempt ever made, operator retries included.</summary>
    [Id(11)] public int TotalAttempts { get; set; }
}
