using TrackGrains.Testing;

namespace TrackGrains.Tests.Api;

public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("--Retry:Delays=soon", "Retry:Delays")]
    [InlineData("--Retry:NotFoundRecheck=1h", "Retry:NotFoundRecheck")]
    [InlineData("--SoundCharts:BaseUrl=not-a-url", "SoundCharts:BaseUrl")]
    [InlineData("--SoundCharts:Keys:0:AppId=only-the-app", "SoundCharts:Keys")]
    // A value outside a setting's allowed set is never replaced by a default: the line lists the allowed values.
    [InlineData("--Cluster:Clustering=postgress", "Cluster:Clustering='postgress' is not one of localhost, sqlite, postgres")]
    [InlineData("--Storage:Provider=mysql", "Storage:Provider='mysql' is not one of sqlite, postgres")]
    [InlineData("--Cluster:Role=server", "Cluster:Role='server' is not one of silo, client")]
    [InlineData("--Cluster:AdvertisedIP=silo-1.local", "Cluster:AdvertisedIP")]
    [InlineData("--Cluster:GrainCollectionAge=00:00:01", "Cluster:GrainCollectionAge=00:00:01 is shorter than 00:00:10")]
    [InlineData("--Storage:Provider=postgres", "Storage:ConnectionString is required")]
    [InlineData("--Cluster:Clustering=postgres", "set both to the same provider")]
    public Task Bad_configuration_stops_start_up_with_one_line_naming_the_key(string setting, string key) =>
        AssertStopsWithOneLineAsync([setting], key);

    [Fact]
    public Task An_unreachable_PostgreSQL_stops_start_up_with_one_line_naming_the_connection_string() =>
        AssertStopsWithOneLineAsync(
            ["--Storage:Provider=postgres", $"--Storage:ConnectionString=Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Database=nothing;Timeout=3"],
            "Storage:ConnectionString: cannot reach PostgreSQL at 127.0.0.1");

    private static async Task AssertStopsWithOneLineAsync(string[] arguments, string key)
    {
        var folder = Directory.CreateTempSubdirectory("trackgrains-config-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Cluster:SiloPort"] = FreePort.Next().ToString(),
                ["Storage:Database"] = Path.Combine(folder, "t.db"),
            };
            await using var gateway = DotnetProcess.Start("WebGateway.dll", ["--urls", $"http://127.0.0.1:{FreePort.Next()}", .. arguments], settings, folder);
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
