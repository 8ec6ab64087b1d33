using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using TrackGrains.Silo.Storage;
using TrackGrains.Silo.Storage.Copying;

namespace TrackGrains.WebGateway.Commands;

/// <summary>
/// <c>copy-data --from &lt;SQLite file&gt; --to &lt;PostgreSQL connection string&gt;</c>: the command-line face of
/// <see cref="DataCopier"/>. Parses the arguments, prints what was copied, and turns every way it can
/// end into one line and an exit code. The target's password is never printed.
/// </summary>
public static class CopyDataCommand
{
    public const string Verb = "copy-data";

    /// <summary>Every count matched and the copy is committed.</summary>
    public const int CopiedExitCode = 0;

    /// <summary>The copy ran and failed (a value that does not fit, a count that differs, a database error); nothing was committed.</summary>
    public const int FailedExitCode = 1;

    /// <summary>The arguments are wrong.</summary>
    public const int UsageExitCode = 2;

    /// <summary>The source or target is not fit to copy from or into (missing, in use, not empty, other schema); nothing was written.</summary>
    public const int RefusedExitCode = 3;

    private const string Usage = "usage: copy-data --from <SQLite file of a stopped server> --to <PostgreSQL connection string of an empty database>";

    public static bool IsInvokedBy(IReadOnlyList<string> args) => args.Count > 0 && args[0] == Verb;

    /// <param name="arguments">The arguments after the verb.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (Parse(arguments) is not { } request)
        {
            await error.WriteLineAsync(Usage);
            return UsageExitCode;
        }
        string target;
        try
        {
            target = PostgresTarget.Describe(request.To);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"copy-data: --to is not a PostgreSQL connection string ({ex.Message}).");
            return UsageExitCode;
        }

        var from = Path.GetFullPath(request.From);
        await output.WriteLineAsync($"Copying {from} to {target}");
        try
        {
            var report = await DataCopier.CopyAsync(from, request.To, cancellationToken);
            await PrintAsync(report, output);
            if (report.AllCountsMatch)
            {
                return CopiedExitCode;
            }
            await error.WriteLineAsync($"copy-data: failed: the counts of {string.Join(", ", report.Tables.Where(t => !t.Matches).Select(t => t.Table))} differ; rolled back, nothing was written.");
            return FailedExitCode;
        }
        catch (CopyRefusedException ex)
        {
            await error.WriteLineAsync($"copy-data: refused: {ex.Message}");
            return RefusedExitCode;
        }
        catch (StorageUnavailableException ex)
        {
            await error.WriteLineAsync($"copy-data: refused: the target --to: {ex.Message}");
            return RefusedExitCode;
        }
        catch (Exception ex) when (ex is InvalidDataException or NpgsqlException or SqliteException)
        {
            var message = ex is PostgresException postgres ? $"{postgres.MessageText}{(postgres.Detail is { } detail ? $" ({detail})" : "")}" : ex.Message;
            await error.WriteLineAsync($"copy-data: failed, nothing was written: {message}");
            return FailedExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"copy-data: failed, nothing was written: {ex.Message}");
            return FailedExitCode;
        }
    }

    private static (string From, string To)? Parse(IReadOnlyList<string> arguments)
    {
        string? from = null, to = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            var (name, value) = arguments[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal)
                ? (n, v)
                : (arguments[i], i + 1 < arguments.Count ? arguments[++i] : null);
            switch (name)
            {
                case "--from": from = value; break;
                case "--to": to = value; break;
                default: return null;
            }
        }
        return string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to) ? null : (from, to);
    }

    private static async Task PrintAsync(CopyReport report, TextWriter output)
    {
        if (report.SourceSchemaUpgradedWith.Count > 0)
        {
            await output.WriteLineAsync($"The source's schema was older; brought up to this build's first: {string.Join(", ", report.SourceSchemaUpgradedWith)}.");
        }
        var serviceIds = report.ServiceIds.Count == 0 ? "none (no grain state or reminders)" : string.Join(", ", report.ServiceIds);
        await output.WriteLineAsync($"ServiceId found: {serviceIds}. Grain state and reminders are keyed by it: start the PostgreSQL server with the same Cluster:ServiceId.");

        var width = report.Tables.Select(t => t.Table.Length).Append("table".Length).Max();
        await output.WriteLineAsync($"{"table".PadRight(width)}  {"SQLite",10}  {"PostgreSQL",10}");
        foreach (var table in report.Tables)
        {
            await output.WriteLineAsync(
                $"{table.Table.PadRight(width)}  {Number(table.Source),10}  {Number(table.Target),10}{(table.Matches ? "" : "  differs")}");
        }
        var seconds = report.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        await output.WriteLineAsync(report.AllCountsMatch
            ? $"Copied {Number(report.RowsCopied)} rows in {report.Tables.Count} tables in {seconds} s; every count matches."
            : $"Counts differ after {seconds} s; rolled back.");
        await output.WriteLineAsync("Not copied: membership (it belongs to the running cluster), the provider queries and schema versions (this build's own).");
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
