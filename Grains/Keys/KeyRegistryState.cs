namespace TrackGrains.Grains.Keys;

[GenerateSerializer, Alias("tg.KeyRegistryState")]
public sealed class KeyRegistryState
{
    [Id(0)] public List<string> KeyIds { get; set; } = [];
    /// <summary>Keys the operator removed: configuration does not bring them back, an explicit add does.</summary>
    [Id(1)] public HashSet<string> RemovedKeyIds { get; set; } = [];
}
