using TrackGrains.Testing;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>Runs a WebGateway verb (<c>backup</c>, <c>copy-data</c> ...) as its own process, the way an operator runs it, and waits for it to exit.</summary>
internal static class GatewayVerb
{
    public static async Task<DotnetProcess> RunAsync(string verb, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? settings,
        string workingDirectory)
    {
        var process = DotnetProcess.Start("WebGateway.dll", [verb, .. arguments], settings ?? new Dictionary<string, string?>(), workingDirectory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return process;
    }

    /// <summary>The one non-empty line the verb wrote to standard error.</summary>
    public static string ErrorLine(DotnetProcess process) => Assert.Single(process.ErrorLines, l => l.Trim().Length > 0);

    /// <summary><c>copy-data --from <paramref name="from"/> --to <paramref name="to"/></c>.</summary>
    public static Task<DotnetProcess> CopyDataAsync(string from, string to, string workingDirectory) =>
        RunAsync("copy-data", ["--from", from, "--to", to], settings: null, workingDirectory);
}
