using TrackGrains.Testing;

namespace TrackGrains.Tests.Backups;

/// <summary>Runs <c>WebGateway backup ...</c> as its own process, the way an operator runs it, and waits for it to exit.</summary>
internal static class BackupVerb
{
    public static async Task<DotnetProcess> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> settings, string workingDirectory)
    {
        var process = DotnetProcess.Start("WebGateway.dll", ["backup", .. arguments], settings, workingDirectory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return process;
    }

    /// <summary>The one non-empty line the verb wrote to standard error.</summary>
    public static string ErrorLine(DotnetProcess process) => Assert.Single(process.ErrorLines, l => l.Trim().Length > 0);
}
