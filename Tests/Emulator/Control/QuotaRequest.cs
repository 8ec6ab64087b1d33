namespace TrackGrains.Emulator.Control;

public sealed record QuotaRequest(long Remaining);
