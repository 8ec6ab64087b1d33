using TrackGrains.Testing;

namespace TrackGrains.Tests.Storage;

/// <summary>One run of <c>WebGateway copy-data</c> as a real process: its exit code and what it printed.</summary>
public sealed record CopyDataRun(int ExitCode, string Output, IReadOnlyList<string> Errors)
{
    public static async Task<CopyDataRun> RunAsync(string from, string to, string workingDirectory)
    {
        await using var process = DotnetProcess.Start("WebGateway.dll", ["copy-data", "--from", from, "--to", to],
            new Dictionary<string, string?>(), workingDirectory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new CopyDataRun(process.ExitCode, process.RecentOutput, process.ErrorLines);
    }

    public override string ToString() => $"exit {ExitCode}:{Environment.NewLine}{Output}";
}
