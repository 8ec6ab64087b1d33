namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>
/// The answer to a permit request. A granted permit carries the credentials for exactly one
/// SoundCharts call and must be returned with <see cref="IApiKeyGrain.CompletePermitAsync"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("tg.PermitDecision")]
public sealed record PermitDecision
{
    [Id(0)] public long PermitId { get; init; }
    [Id(1)] public PermitDenial Denial { get; init; }
    [Id(2)] public DateTimeOffset? RetryAt { get; init; }
    [Id(3)] public string? AppId { get; init; }
    [Id(4)] public string? ApiKey { get; init; }
    [Id(5)] public required KeySnapshot Snapshot { get; init; }

    public bool Granted => Denial == PermitDenial.None;
}
