namespace TrackGrains.Emulator.Control;

public sealed record IdsRequest(IReadOnlyList<string> Ids);
