namespace TrackGrains.Emulator.SoundCharts;

internal enum AdmissionVerdict
{
    Admitted,
    RateLimited,
    QuotaExceeded,
}
