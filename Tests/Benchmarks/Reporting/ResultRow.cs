namespace TrackGrains.Benchmarks.Reporting;

/// <summary>
/// One line of the report. <see cref="Measured"/> and <see cref="Floor"/> are in <see cref="Unit"/>;
/// <see cref="Ratio"/> is measured / floor, the number that stays comparable on a noisy machine.
/// <see cref="Storage"/> is the gateway's storage provider (sqlite, postgres) the row was measured on.
/// </summary>
public sealed record ResultRow(
    string Target,
    string What,
    double? Measured,
    double? Floor,
    string Unit,
    string Goal,
    Verdict Verdict,
    string? Note = null,
    string Storage = "")
{
    public double? Ratio => Measured is { } m && Floor is { } f && f > 0 ? m / f : null;

    public static ResultRow Failed(string target, string what, string error, string storage) =>
        new(target, what, null, null, "", "", Verdict.Error, error, storage);
}
