namespace TrackGrains.Grains.Interfaces.Keys;

[GenerateSerializer, Alias("tg.PermitDenial")]
public enum PermitDenial
{
    None = 0,
    /// <summary>Deactivated (quota spent, bad credentials, endpoint not in plan).</summary>
    Inactive = 1,
    /// <summary>Every unit of known quota is already promised to calls in flight.</summary>
    QuotaCommitted = 2,
    /// <summary>The rate-limit window has no room left until <see cref="PermitDecision.RetryAt"/>.</summary>
    RateLimited = 3,
    /// <summary>The key's state is being learned by a first call; ask again shortly.</summary>
    Probing = 4,
    /// <summary>The per-key cap on calls in flight is reached.</summary>
    Busy = 5,
    Unknown = 6,
}
