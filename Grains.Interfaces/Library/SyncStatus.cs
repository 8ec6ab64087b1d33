namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>One sync as its user sees it. Also the persisted record of past syncs.</summary>
/// <param name="Version">Grows with every change, so a watcher can ask for "anything newer than what I have".</param>
/// <param name="Stats">Set when the sync has ended (also after a failure: what it did until then).</param>
[GenerateSerializer, Immutable, Alias("tg.SyncStatus")]
public sealed record SyncStatus(
    [property: Id(0)] string SyncId,
    [property: Id(1)] SyncState State,
    [property: Id(2)] CollectionType CollectionType,
    [property: Id(3)] bool Full,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt,
    [property: Id(6)] SyncProgress Progress,
    [property: Id(7)] SyncStats? Stats,
    [property: Id(8)] string? Error,
    [property: Id(9)] SyncFailure Failure,
    [property: Id(10)] long Version)
{
    /// <summary>
    /// Set while a running sync waits for its user's daily SoundCharts budget (Access:UserDailySoundChartsCalls),
    /// which renews at this instant (the next UTC midnight); the tracks not enriched yet wait, none is dropped.
    /// </summary>
    [Id(11)] public DateTimeOffset? WaitingForBudgetUntil { get; init; }

    public bool IsFinished => State != SyncState.Running;
}
