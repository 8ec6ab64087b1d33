using System.Net;
using System.Net.Sockets;
using System.Net.Http.Json;
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
[Collection(ProcessTests.Name)]
public sealed class ClientModeTests : IAsyncLifetime
{
    private const string AdminToken = "client-mode-admin-token-0123456789";
    private ProcessStage _stage = null!;

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-cluster-", new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "cluster-app", ApiKey = "cluster-key-secret-0001", Quota = 100_000, RateLimit = 100_000 }],
        });
    }

    public async Task DisposeAsync() => await _stage.DisposeAsync();

    [Fact]
    public async Task A_gateway_in_client_mode_serves_tracks_from_grains_in_a_separate_silo_process()
    {
        await using var silo = DotnetProcess.Start("Silo.dll", [], _stage.Settings(AdminToken).With(new Dictionary<string, string?>
        {
            ["Cluster:Clustering"] = "sqlite",
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(),
        }), _stage.Folder);

        // The gateway is given no key: keys, grains and their calls live in the silo process.
        var gatewaySettings = _stage.Settings(AdminToken, _ => false).With(new Dictionary<string, string?>
        {
            ["Cluster:Role"] = "client",
            ["Cluster:Clustering"] = "sqlite",
        });
        await using var gateway = await GatewayServer.StartAsync(gatewaySettings, _stage.Folder);
        using var admin = gateway.Client(AdminToken, TimeSpan.FromSeconds(60));

        var ids = TestIds.Tracks(5);
        using var response = await admin.PostAsJsonAsync("/api/tracks/batch", new { trackIds = ids });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(body.GetProperty("tracks").EnumerateArray(),
            t => Assert.Equal("enriched", t.GetProperty("enrichment").GetProperty("status").GetString()));
        Assert.Equal(5, body.GetProperty("fetched").GetInt32());
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        Assert.Contains(keys.GetProperty("keys").EnumerateArray(), k => k.GetProperty("appId").GetString() == "cluster-app");
        Assert.All(ids, id => Assert.Equal(1, _stage.Emulator.State.SoundCharts.Counters.CallsForTrack(id)));

        // A gateway that had ignored Cluster:Role would host a silo of its own on the silo port it was given.
        Assert.False(IsListening(int.Parse(gatewaySettings["Cluster:SiloPort"]!)), "the client-mode gateway must host no silo");

        // And the grains are the silo's: without it, nothing new is served.
        await silo.KillAsync();
        using var orphan = await admin.GetAsync($"/api/tracks/{TestIds.Track()}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, orphan.StatusCode);
    }

    private static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
