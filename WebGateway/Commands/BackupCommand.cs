using System.Globalization;
using TrackGrains.Silo.Hosting;
using TrackGrains.Silo.Storage;
using TrackGrains.WebGateway.Backups;

namespace TrackGrains.WebGateway.Commands;

/// <summary>
/// <c>backup --to &lt;file&gt;</c>: a consistent snapshot of the server's SQLite database, taken while the
/// server runs. The database is the one the server would use with the same configuration.
/// </summary>
public sealed class BackupCommand : IGatewayCommand
{
    private const string ToOption = "to";

    public string Name => "backup";

    public string Usage => "backup --to <file> [--Storage:Database=<database>]";

    public IReadOnlyCollection<string> Options { get; } = [ToOption];

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (arguments.Option(ToOption) is not { } to)
        {
            await error.WriteLineAsync($"backup: say where the backup goes: {Usage}");
            return CommandExitCodes.Usage;
        }

        string databasePath;
        try
        {
            var server = arguments.ServerConfiguration();
            // Checked as the server checks them: a provider outside the allowed set is a one-line error, exit 2.
            var (storage, _) = ClusterSettings.Read(server.Configuration);
            if (storage.IsPostgres)
            {
                await error.WriteLineAsync($"backup: {PgDumpAdvice.For(storage.ConnectionString, to)}");
                return CommandExitCodes.Usage;
            }
            databasePath = SiloHostingExtensions.ResolveDatabasePath(server, storage);
        }
        catch (Exception ex) when (StartupErrors.Describe(ex) is { } problem)
        {
            await error.WriteLineAsync($"backup: {problem}");
            return CommandExitCodes.Usage;
        }

        try
        {
            // The target is a path the operator typed: relative to the shell's folder, not the content root.
            var result = await SqliteBackup.CreateAsync(databasePath, Path.GetFullPath(to), cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Backup of {databasePath} written to {result.Path}: {result.SizeBytes} bytes, {result.TrackCount} tracks, integrity_check ok."));
            return CommandExitCodes.Success;
        }
        catch (SqliteBackupException ex)
        {
            await error.WriteLineAsync($"backup: {ex.Message}");
            return CommandExitCodes.Failed;
        }
    }
}
