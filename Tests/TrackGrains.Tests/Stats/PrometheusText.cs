using System.Globalization;

namespace TrackGrains.Tests.Stats;

/// <summary>Reads sample values out of a Prometheus text exposition.</summary>
public sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every one given (0 when none).</summary>
    public double Sum(string metric, params string[] labels) => Samples(metric, labels).Sum();

    public bool Has(string metric, params string[] labels) => Samples(metric, labels).Any();

    private IEnumerable<double> Samples(string metric, string[] labels)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = line[metric.Length..];
            string labelText;
            if (rest.StartsWith('{'))
            {
                var close = rest.IndexOf('}');
                labelText = rest[1..close];
                rest = rest[(close + 1)..];
            }
            else if (rest.StartsWith(' '))
            {
                labelText = "";
            }
            else
            {
                continue; // a longer metric name with this prefix
            }
            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                yield return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
    }
}
