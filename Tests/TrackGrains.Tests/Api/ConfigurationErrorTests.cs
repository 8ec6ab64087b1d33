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
            var settings = new Dictionary<string, string?>
            {
                ["Cluster:SiloPort"] = FreePort.Next().ToString(),
                ["Storage:Database"] = Path.Combine(folder, "t.db"),
            };
            await using var gateway = DotnetProcess.Start("WebGateway.dll", ["--urls", $"http://127.0.0.1:{FreePort.Next()}", setting], settings, folder);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await gateway.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, gateway.ExitCode);
            var line = Assert.Single(gateway.ErrorLines, l => l.Trim().Length > 0);
            Assert.StartsWith("TrackGrains cannot start:", line);
            Assert.Contains(key, line);
            Assert.DoesNotContain("   at ", gateway.RecentOutput);
        }
        finally
        {
            ProcessStage.TryDelete(folder);
        }
    }
}
