using System.Diagnostics;

namespace TrackGrains.Tests.Storage;

/// <summary>
/// Holds the database's write lock from another operating-system process (Python's sqlite3 module:
/// python3 is part of the machine image, and CI reads test results with it too) until disposed.
/// </summary>
internal sealed class ProcessWriteLock : IAsyncDisposable
{
    private const string Script = """
        import sqlite3, sys
        connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
        connection.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        sys.stdin.readline()
        connection.execute("ROLLBACK")
        connection.close()
        print("released", flush=True)
        """;

    private readonly Process _process;

    private ProcessWriteLock(Process process) => _process = process;

    public static async Task<IAsyncDisposable> TakeAsync(string databasePath)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(databasePath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3 to hold the lock");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "locked")
        {
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            process.Kill();
            throw new InvalidOperationException($"The lock-holding process did not take the lock: {line} {error}");
        }
        return new ProcessWriteLock(process);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.StandardInput.WriteLineAsync();
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }
}
