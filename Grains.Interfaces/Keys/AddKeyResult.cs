namespace TrackGrains.Grains.Interfaces.Keys;

[GenerateSerializer, Alias("tg.AddKeyOutcome")]
public enum AddKeyOutcome
{
    /// <summary>A key not known before.</summary>
    Added = 0,
    /// <summary>A known, inactive key was checked and taken into service again (or found still unusable: see the snapshot).</summary>
    Rechecked = 1,
    /// <summary>A known key that is active: nothing changed.</summary>
    AlreadyActive = 2,
    /// <summary>A key from configuration that the operator removed through the API: not imported again.</summary>
    RemovedByOperator = 3,
}

[GenerateSerializer, Immutable, Alias("tg.AddKeyResult")]
public sealed record AddKeyResult(
    [property: Id(0)] AddKeyOutcome Outcome,
    [property: Id(1)] string KeyId,
    [property: Id(2)] KeySnapshot? Snapshot);
