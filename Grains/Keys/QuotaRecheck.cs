namespace TrackGrains.Grains.Keys;

/// <summary>What a re-check of a key deactivated for spent quota found.</summary>
public enum QuotaRecheck
{
    /// <summary>The usage endpoint still reports no quota left.</summary>
    StillSpent,
    /// <summary>The usage endpoint reports quota again: the key is active.</summary>
    QuotaBack,
    /// <summary>The usage endpoint gave no usable quota: the key is active with one probing call to learn it.</summary>
    Probing,
    /// <summary>The credentials are no longer valid: deactivated for that, not re-checked.</summary>
    Revoked,
}
