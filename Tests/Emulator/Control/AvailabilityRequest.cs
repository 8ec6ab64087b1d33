using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Emulator.Control;

public sealed record AvailabilityRequest(SongAvailability Availability);
