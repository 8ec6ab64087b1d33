namespace TrackGrains.Grains.Interfaces.Keys;

[GenerateSerializer, Immutable, Alias("tg.AddKeyResult")]
public sealed record AddKeyResult([property: Id(0)] bool Added, [property: Id(1)] string KeyId);
