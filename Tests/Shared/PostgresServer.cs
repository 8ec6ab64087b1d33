using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace TrackGrains.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests and the benchmark: Debian's <c>postgresql</c> binaries,
/// <c>initdb</c> into a fresh temp folder, a free port on 127.0.0.1, trust authentication for one
/// user, stopped and deleted when disposed (and when the process exits). PostgreSQL refuses to run
/// as root, so as root the server runs as the package's <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "trackgrains";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(() => StartAsync(durable: false));

    private readonly string _binaries;
    private readonly string _dataFolder;
    private bool _stopped;

    private PostgresServer(string binaries, string folder, int port)
    {
        _binaries = binaries;
        Folder = folder;
        _dataFolder = Path.Combine(folder, "data");
        Port = port;
    }

    /// <summary>One server for the whole test process, started on first use, stopped when the process exits.</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    public string Folder { get; }

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/> as the server's one user.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = User, Database = database }.ToString();

    /// <param name="durable">
    /// false for tests: fsync and synchronous commit off (a test database dies with the test).
    /// true for the benchmark: PostgreSQL's defaults, as an operator would run it.
    /// </param>
    public static async Task<PostgresServer> StartAsync(bool durable)
    {
        var binaries = FindBinaries();
        Exception? last = null;
        // A free port can be taken between asking and binding; try a few.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var server = new PostgresServer(binaries, Directory.CreateTempSubdirectory("trackgrains-pg-").FullName, FreePort.Next());
            try
            {
                await server.InitAndStartAsync(durable);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                return server;
            }
            catch (Exception ex)
            {
                last = ex;
                server.Stop();
            }
        }
        throw new InvalidOperationException($"Could not start a throwaway PostgreSQL server: {last!.Message}", last);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "tg_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>
    /// Drops a database made by <see cref="CreateDatabaseAsync"/>, ending the sessions still connected to it.
    /// An in-process server's connection pool keeps idle sessions open for minutes after the server is
    /// disposed (Npgsql's idle lifetime); across a test run those add up to <c>max_connections</c>.
    /// </summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
                   ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task InitAndStartAsync(bool durable)
    {
        if (IsRoot)
        {
            // The folder is the postgres user's to write; the temp folder was created 0700 for root.
            await RunAsync("chown", ["-R", "postgres:postgres", Folder]);
        }
        await RunPostgresToolAsync("initdb", ["-D", _dataFolder, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);

        var settings = new List<string>
        {
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-k", Folder,
            "-c", "listen_addresses=127.0.0.1",
            // Three silos and a client at 30 connections each, plus the tests' own; test servers drop their
            // databases when done (DropDatabaseAsync), which ends their pools' idle sessions.
            "-c", "max_connections=300",
        };
        if (!durable)
        {
            settings.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }
        await RunPostgresToolAsync("pg_ctl", ["-D", _dataFolder, "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "60",
            "-o", string.Join(' ', settings), "start"]);
        StartWatchdog();
    }

    /// <summary>
    /// The server must not outlive the process that started it, even when that process is killed or
    /// its test host is torn down before exit handlers run: a small shell loop, detached from us,
    /// waits for our process to disappear, then stops the server and deletes its folder.
    /// </summary>
    private void StartWatchdog()
    {
        var pgCtl = Path.Combine(_binaries, "pg_ctl");
        var script = "exec </dev/null >/dev/null 2>&1; " +
                     $"while [ -d /proc/{Environment.ProcessId} ]; do sleep 1; done; " +
                     $"'{pgCtl}' -D '{_dataFolder}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{Folder}'";
        // Its own pipes, never ours: a test runner waits for every holder of the test host's output to close it.
        var start = new ProcessStartInfo(IsRoot ? "runuser" : "sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", "sh" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        Process.Start(start)?.Dispose();
    }

    private void Stop()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        try
        {
            if (File.Exists(Path.Combine(_dataFolder, "postmaster.pid")))
            {
                RunPostgresToolAsync("pg_ctl", ["-D", _dataFolder, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
            }
        }
        catch (Exception)
        {
            // Stopping is best effort at exit; the folder below goes either way.
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunPostgresToolAsync(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(_binaries, tool);
        return IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : RunAsync(path, arguments);
    }

    private async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        var run = await ExternalTool.RunAsync(program, arguments, Folder, TimeSpan.FromSeconds(90));
        if (run.ExitCode != 0)
        {
            var log = Path.Combine(Folder, "server.log");
            var serverLog = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {run.ExitCode}: {run.Errors}{run.Output}{serverLog}");
        }
    }

    /// <summary>The newest installed PostgreSQL's bin folder (Debian keeps them under /usr/lib/postgresql/N/bin).</summary>
    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var folder = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Folder: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Folder, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Folder)
                .FirstOrDefault()
            : null;
        return folder ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): install Debian's package, apt-get install -y postgresql.");
    }
}
