namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>A page of a user's saved tracks, newest first, and how many there are in all.</summary>
[GenerateSerializer, Immutable, Alias("tg.LibraryPage")]
public sealed record LibraryPage(
    [property: Id(0)] int Total,
    [property: Id(1)] IReadOnlyList<LibraryEntry> Entries);
