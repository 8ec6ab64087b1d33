using System.Diagnostics;

namespace TrackGrains.Testing;

/// <summary>
/// One of the project's programs (<c>dotnet X.dll</c>, built next to the tests or the benchmark) as a real
/// operating-system process, with its settings on the command line. Keeps the last lines of its output
/// to explain a failure, and is killed when disposed if it still runs.
/// </summary>
public sealed class DotnetProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    /// <summary>Bound on <see cref="AllOutput"/>: enough for any test's start-up and run, not a long benchmark's log.</summary>
    private const int MaxAllOutputChars = 4 * 1024 * 1024;
    private static readonly string[] ProxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"];

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly List<string> _errors = [];
    private readonly System.Text.StringBuilder _all = new();

    private DotnetProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's id of the process, e.g. to read its memory from /proc.</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>
    /// Everything the program wrote (both streams, up to a few megabytes): for claims about what it
    /// printed at start-up, which the last lines no longer show, and what it never printed.
    /// </summary>
    public string AllOutput
    {
        get
        {
            lock (_output)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>What the program wrote to standard error, line by line.</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_output)
            {
                return _errors.ToList();
            }
        }
    }

    public static DotnetProcess Start(string assemblyFileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> settings,
        string workingDirectory)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, assemblyFileName);
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assemblyFileName} is not next to this assembly ({assembly}); build the solution first.");
        }
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        // Every upstream is the loopback emulator; a proxy inherited from the shell must not sit in between.
        foreach (var variable in ProxyVariables)
        {
            start.Environment.Remove(variable);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {assemblyFileName}");
        var program = new DotnetProcess(process);
        process.OutputDataReceived += (_, e) => program.Append(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => program.Append(e.Data, error: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return program;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM and wait for the host to shut down; SIGKILL if it hangs.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: fall through to the hard kill.
            }
        }
        await KillAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushes, exactly what a crash or an OOM kill leaves behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            if (_all.Length + line.Length < MaxAllOutputChars)
            {
                _all.AppendLine(line);
            }
            while (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
            if (error && _errors.Count < KeptOutputLines)
            {
                _errors.Add(line);
            }
        }
    }
}
