using System.Diagnostics;

namespace TrackGrains.Testing;

/// <summary>Runs a command-line tool to its end, its output captured, killed if it outlives its time.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <exception cref="System.ComponentModel.Win32Exception">The program is not installed.</exception>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string folder, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', start.ArgumentList.Take(2))} did not finish within {timeout}: {await errors}");
        }
        return new Result(process.ExitCode, await output, await errors);
    }
}
