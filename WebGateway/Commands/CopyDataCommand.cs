using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using TrackGrains.Silo.Storage;
using TrackGrains.Silo.Storage.Copying;

namespace TrackGrains.WebGateway.Commands;

/// <summary>
/// <c>copy-data --from &lt;SQLite file&gt; --to &lt;PostgreSQL connection string&gt;</c>: the command-line face of
/// <see cref="DataCopier"/>. Prints what was copied, and turns every way it can end into one line and an
/// exit code (<see cref="CommandExitCodes"/>). The target's password is never printed.
/// </summary>
public sealed class CopyDataCommand : IGatewayCommand
{
    private const string FromOption = "from";
    private const string ToOption = "to";

    public string Name => "copy-data";

    public string Usage => "copy-data --from <SQLite file of a stopped server> --to <PostgreSQL connection string of an empty database>";

    public IReadOnlyCollection<string> Options { get; } = [FromOption, ToOption];

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (arguments.Option(FromOption) is not { } fromArgument || arguments.Option(ToOption) is not { } to)
        {
            await error.WriteLineAsync($"copy-data: say what to copy from and to: {Usage}");
            return CommandExitCodes.Usage;
        }
        string target;
        try
        {
            target = PostgresTarget.Describe(to);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"copy-data: --to is not a PostgreSQL connection string ({ex.Message}).");
            return CommandExitCodes.Usage;
        }

        // A path the operator typed: relative to the working directory (the project folder under dotnet run).
        var from = Path.GetFullPath(fromArgument);
        await output.WriteLineAsync($"Copying {from} to {target}");
        try
        {
            var report = await DataCopier.CopyAsync(from, to, cancellationToken);
            await PrintAsync(report, output);
            if (report.AllCountsMatch)
            {
                return CommandExitCodes.Success;
            }
            await error.WriteLineAsync($"copy-data: failed: the counts of {string.Join(", ", report.Tables.Where(t => !t.Matches).Select(t => t.Table))} differ; rolled back, nothing was written.");
            return CommandExitCodes.Failed;
        }
        catch (CopyRefusedException ex)
        {
            await error.WriteLineAsync($"copy-data: refused: {ex.Message}");
            return CommandExitCodes.Refused;
        }
        catch (StorageUnavailableException ex)
        {
            await error.WriteLineAsync($"copy-data: refused: the target --to: {ex.Message}");
            return CommandExitCodes.Refused;
        }
        catch (Exception ex) when (ex is InvalidDataException or NpgsqlException or SqliteException)
        {
            var message = ex is PostgresException postgres ? $"{postgres.MessageText}{(postgres.Detail is { } detail ? $" ({detail})" : "")}" : ex.Message;
            await error.WriteLineAsync($"copy-data: failed, nothing was written: {message}");
            return CommandExitCodes.Failed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"copy-data: failed, nothing was written: {ex.Message}");
            return CommandExitCodes.Failed;
        }
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
