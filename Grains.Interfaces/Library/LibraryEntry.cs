namespace TrackGrains.Grains.Interfaces.Library;

[GenerateSerializer, Immutable, Alias("tg.LibraryEntry")]
public sealed record LibraryEntry(
    [property: Id(0)] string TrackId,
    [property: Id(1)] DateTimeOffset AddedAt);
