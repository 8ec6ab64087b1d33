namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>Nearest-rank percentiles of one series of request latencies, in milliseconds.</summary>
public sealed record LatencySummary(int Count, int Errors, double P50, double P90, double P99, double Max, double Mean, double P95)
{
    public static LatencySummary From(IReadOnlyCollection<double> milliseconds, int errors)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, errors, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(sorted.Length, errors, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average(), Rank(sorted, 0.95));
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
