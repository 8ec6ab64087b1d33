namespace TrackGrains.Benchmarks.Reporting;

public enum Verdict
{
    Pass,
    Fail,
    /// <summary>Context for another row; no target of its own.</summary>
    Info,
    /// <summary>The harness could not measure it.</summary>
    Error,
}
