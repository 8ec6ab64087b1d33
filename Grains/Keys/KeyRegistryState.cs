namespace TrackGrains.Grains.Keys;

[GenerateSerializer, Alias("tg.KeyRegistryState")]
public sealed class KeyRegistryState
{
    [Id(0)] public List<string> KeyIds { get; set; } = [];
}
