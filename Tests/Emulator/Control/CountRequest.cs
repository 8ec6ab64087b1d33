namespace TrackGrains.Emulator.Control;

public sealed record CountRequest(int Count);
