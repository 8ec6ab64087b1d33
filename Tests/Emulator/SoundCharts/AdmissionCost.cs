namespace TrackGrains.Emulator.SoundCharts;

internal enum AdmissionCost
{
    /// <summary>A 200 or 410: counts in the window and costs a unit.</summary>
    Unit,

    /// <summary>A 404 or 403: counts in the window, costs nothing.</summary>
    Free,

    /// <summary>A fault: never reached the accounting, so neither window nor quota moves.</summary>
    Bypass,
}
