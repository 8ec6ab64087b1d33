using System.Diagnostics;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Api;

public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("--Retry:Delays=soon", "Retry:Delays")]
    [InlineData("--Retry:NotFoundRecheck=1h", "Retry:NotFoundRecheck")]
    [InlineData("--SoundCharts:BaseUrl=not-a-url", "SoundCharts:BaseUrl")]
    [InlineData("--SoundCharts:Keys:0:AppId=only-the-app", "SoundCharts:Keys")]
    public async Task Bad_configuration_stops_start_up_with_one_line_naming_the_key(string setting, string key)
    {
        var folder = Directory.CreateTempSubdirectory("trackgrains-config-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "WebGateway.dll"), "--urls", $"http://127.0.0.1:{FreePort.Next()}",
                $"--Cluster:SiloPort={FreePort.Next()}", $"--Storage:Database={Path.Combine(folder, "t.db")}", setting })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, process.ExitCode);
            var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var line = Assert.Single(lines);
            Assert.StartsWith("TrackGrains cannot start:", line);
            Assert.Contains(key, line);
            Assert.DoesNotContain("   at ", await stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
