using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrackGrains.Benchmarks.Reporting;

/// <summary>The run's rows, printed as a table and written as JSON.</summary>
public sealed class Report(string mode, string command, MachineInfo machine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly List<ResultRow> _rows = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public IReadOnlyList<ResultRow> Rows => _rows;

    /// <summary>The storage provider of the phase running now; stamped on the rows it adds.</summary>
    public string CurrentStorage { get; set; } = "";

    public void Add(ResultRow row)
    {
        row = row.Storage.Length > 0 ? row : row with { Storage = CurrentStorage };
        _rows.Add(row);
        Console.WriteLine($"  {Describe(row)}");
    }

    public string Table()
    {
        var header = new[] { "#", "storage", "what", "measured", "floor", "ratio", "target", "result" };
        var lines = _rows.Select(r => new[]
        {
            r.Target, r.Storage, r.What, Format(r.Measured, r.Unit), Format(r.Floor, r.Unit),
            r.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "",
            r.Goal, r.Verdict.ToString().ToLowerInvariant(),
        }).ToList();
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Join("|", header.Select(h => h == "#" ? "---" : "---")) + "|");
        foreach (var line in lines)
        {
            text.AppendLine("| " + string.Join(" | ", line.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
        var notes = _rows.Where(r => r.Note is not null).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (var row in notes)
            {
                text.AppendLine($"- {row.Target} {row.Storage} {row.What}: {row.Note}");
            }
        }
        return text.ToString();
    }

    public async Task WriteJsonAsync(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        var document = new
        {
            started = _started,
            finished = DateTimeOffset.UtcNow,
            mode,
            command,
            machine,
            results = _rows.Select(r => new
            {
                target = r.Target,
                storage = r.Storage,
                what = r.What,
                measured = r.Measured,
                floor = r.Floor,
                ratio = r.Ratio,
                unit = r.Unit,
                goal = r.Goal,
                verdict = r.Verdict,
                note = r.Note,
            }),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Json) + "\n");
    }

    public static string Format(double? value, string unit) => value switch
    {
        null => "",
        { } v when double.IsNaN(v) => "n/a",
        { } v when unit == "ms" => v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms",
        { } v when unit == "s" => v.ToString("0.00", CultureInfo.InvariantCulture) + " s",
        { } v when unit == "%" => v.ToString("0.00", CultureInfo.InvariantCulture) + " %",
        { } v when unit == "MB" => v.ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        { } v => v.ToString("0.##", CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : ""),
    };

    private static string Describe(ResultRow r) =>
        $"[{r.Verdict.ToString().ToLowerInvariant()}] {r.Target} {r.Storage} {r.What}: {Format(r.Measured, r.Unit)}" +
        (r.Floor is not null ? $" (floor {Format(r.Floor, r.Unit)}, ratio {r.Ratio?.ToString("0.00", CultureInfo.InvariantCulture)})" : "") +
        (r.Goal.Length > 0 ? $", target {r.Goal}" : "") + (r.Note is not null ? $" — {r.Note}" : "");
}
