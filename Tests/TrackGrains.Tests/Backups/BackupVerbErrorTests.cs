using TrackGrains.Silo.Storage;
using TrackGrains.Testing;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Backups;

/// <summary>The verb refuses, in one line and with a non-zero exit, what it cannot do well.</summary>
[Collection(ProcessTests.Name)]
public sealed class BackupVerbErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trackgrains-backup-errors-").FullName;

    public BackupVerbErrorTests() => SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(DatabasePath));

    private string DatabasePath => Path.Combine(_folder, "tracks.db");

    private Dictionary<string, string?> Settings() => new() { ["Storage:Database"] = DatabasePath };

    public void Dispose() => ProcessStage.TryDelete(_folder);

    [Fact]
    public async Task A_target_that_exists_is_left_as_it_is_and_the_verb_exits_1()
    {
        var target = Path.Combine(_folder, "existing.db");
        await File.WriteAllTextAsync(target, "an earlier backup");

        await using var backup = await GatewayVerb.RunAsync("backup", ["--to", target], Settings(), _folder);

        Assert.Equal(1, backup.ExitCode);
        var line = GatewayVerb.ErrorLine(backup);
        Assert.Contains($"'{target}' already exists", line);
        Assert.Equal("an earlier backup", await File.ReadAllTextAsync(target));
        Assert.DoesNotContain(Directory.GetFiles(_folder), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_written_exits_1_naming_the_folder()
    {
        var folder = UnwritableFolder();

        await using var backup = await GatewayVerb.RunAsync("backup", ["--to", Path.Combine(folder, "backup.db")], Settings(), _folder);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains($"cannot write to the folder '{folder}'", GatewayVerb.ErrorLine(backup));
        Assert.DoesNotContain("   at ", backup.RecentOutput);
    }

    [Fact]
    public async Task With_postgres_storage_the_verb_shows_the_pg_dump_command_without_the_password_and_exits_2()
    {
        var settings = Settings();
        settings["Storage:Provider"] = "postgres";
        settings["Storage:ConnectionString"] = "Host=db.example;Port=5433;Username=trackgrains;Password=pg-secret-4711;Database=tracks;Pooling=true";

        await using var backup = await GatewayVerb.RunAsync("backup", ["--to", "tracks.dump"], settings, _folder);

        Assert.Equal(2, backup.ExitCode);
        var line = GatewayVerb.ErrorLine(backup);
        Assert.Contains("pg_dump --format=custom --file=tracks.dump \"host=db.example port=5433 user=trackgrains dbname=tracks\"", line);
        Assert.DoesNotContain("pg-secret-4711", backup.RecentOutput);
        Assert.False(File.Exists(Path.Combine(_folder, "tracks.dump")));
    }

    [Theory]
    [InlineData(new[] { "backup" }, "say where the backup goes")]
    [InlineData(new[] { "backup", "--to" }, "--to needs a value")]
    [InlineData(new[] { "backpu", "--to", "x.db" }, "Unknown command 'backpu'")]
    public async Task Wrong_usage_exits_2_with_the_usage(string[] arguments, string expected)
    {
        await using var process = DotnetProcess.Start("WebGateway.dll", arguments, Settings(), _folder);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        var line = GatewayVerb.ErrorLine(process);
        Assert.Contains(expected, line);
        Assert.Contains("backup --to <file>", line);
    }

    /// <summary>
    /// A folder this process cannot create files in. Permissions do not stop root (as in CI containers), so
    /// there the test uses sysfs, where nobody can create a file.
    /// </summary>
    private string UnwritableFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("This test makes a folder read-only with Unix permissions.");
        }
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "read-only")).FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            File.Create(Path.Combine(folder, "probe")).Dispose();
        }
        catch (UnauthorizedAccessException)
        {
            return folder;
        }
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return "/sys";
    }
}
