using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Cluster;

/// <summary>
/// The multi-process layout: a standalone Silo process holds the grains, the WebGateway joins it as an
/// Orleans client through the SQLite membership table, both on one database file.
/// </summary>
[Collection(nameof(ClientModeTests))]
[CollectionDefinition(nameof(ClientModeTests), DisableParallelization = true)]
public sealed class ClientModeTests : IAsyncLifetime
{
    private const string AdminToken = "client-mode-admin-token-0123456789";
    private UpstreamEmulator _emulator = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _emulator = await UpstreamEmulator.StartAsync(new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "cluster-app", ApiKey = "cluster-key-secret-0001", Quota = 100_000, RateLimit = 100_000 }],
        });
        _folder = Directory.CreateTempSubdirectory("trackgrains-cluster-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [Fact]
    public async Task A_gateway_in_client_mode_serves_tracks_from_grains_in_a_separate_silo_process()
    {
        var database = Path.Combine(_folder, "tracks.db");
        var siloOutput = new StringBuilder();
        using var silo = StartSilo(GatewaySettings.For(_emulator, database, AdminToken).With(new Dictionary<string, string?>
        {
            ["Cluster:Clustering"] = "sqlite",
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(),
        }), siloOutput);
        try
        {
            var gatewaySettings = GatewaySettings.For(_emulator, database, AdminToken, _ => false).With(new Dictionary<string, string?>
            {
                ["Cluster:Role"] = "client",
            });
            await using var gateway = await GatewayServer.StartAsync(gatewaySettings, _folder);
            using var admin = gateway.Client(AdminToken, TimeSpan.FromSeconds(60));

            var ids = TestIds.Tracks(5);
            using var response = await admin.PostAsJsonAsync("/api/tracks/batch", new { trackIds = ids });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.All(body.GetProperty("tracks").EnumerateArray(),
                t => Assert.Equal("enriched", t.GetProperty("enrichment").GetProperty("status").GetString()));
            Assert.Equal(5, body.GetProperty("fetched").GetInt32());

            // The key came from the silo's configuration; the gateway was given none.
            var keys = await admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
            Assert.Contains(keys.GetProperty("keys").EnumerateArray(), k => k.GetProperty("appId").GetString() == "cluster-app");
            Assert.All(ids, id => Assert.Equal(1, _emulator.State.SoundCharts.Counters.CallsForTrack(id)));
        }
        finally
        {
            if (!silo.HasExited)
            {
                silo.Kill(entireProcessTree: true);
            }
            await silo.WaitForExitAsync();
        }
        Assert.False(siloOutput.ToString().Contains("Unhandled exception", StringComparison.Ordinal), siloOutput.ToString());
    }

    private Process StartSilo(IReadOnlyDictionary<string, string?> settings, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Silo.dll"));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo process");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
