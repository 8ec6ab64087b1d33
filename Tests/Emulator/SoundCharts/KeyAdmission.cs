namespace TrackGrains.Emulator.SoundCharts;

/// <summary>What one call did to a key, and the header values to send with its answer.</summary>
internal readonly record struct KeyAdmission(
    AdmissionVerdict Verdict,
    bool ArrivedAfterQuotaExhausted,
    bool ArrivedAfterRateLimited,
    long QuotaRemaining,
    int RateLimit,
    int RateRemaining,
    int RateResetSeconds,
    int RateUsed);
