using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Api;

/// <summary>A server of its own: these tests stop and start it on the same SQLite file.</summary>
public class RestartableServer : GatewayFixture;

public abstract class RestartTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : RestartableServer
{
    [Fact]
    public async Task Grain_state_and_read_model_survive_a_host_restart_on_the_same_file()
    {
        var ids = TestIds.Tracks(20);
        var before = await TrackPolling.PeekStatusesAsync(server.User, ids);
        Assert.All(before.Values, s => Assert.Equal("enriched", s));

        server.Emulator.State.SoundCharts.AddOrReplaceKey(new SoundChartsKeyOptions { AppId = "added-later", ApiKey = "added-later-secret-9999" });
        using (var add = await server.Admin.PostAsJsonAsync("/api/keys/add", new { appId = "added-later", apiKey = "added-later-secret-9999" }))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }

        await server.RestartAsync();

        var after = await TrackPolling.PeekStatusesAsync(server.User, ids);
        Assert.All(after.Values, s => Assert.Equal("enriched", s));
        Assert.All(ids, id => Assert.Equal(1, server.Emulator.State.SoundCharts.Counters.CallsForTrack(id)));

        // The key added through the API is not in the configuration the server restarted with: only the
        // registry's own stored state can bring it back, active and with its secret readable.
        Assert.DoesNotContain("added-later", server.Settings().Values);
        var keys = await server.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        var addedLater = keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("appId").GetString() == "added-later");
        Assert.True(addedLater.GetProperty("isActive").GetBoolean());

        var stored = await DatabaseProbe.CountAsync(server.Database,
            $"SELECT COUNT(*) FROM tracks WHERE soundcharts_data IS NOT NULL AND tempo IS NOT NULL AND spotify_id IN ({string.Join(",", ids.Select((_, i) => "@id" + i))})",
            ids.Select((id, i) => ("@id" + i, (object)id)).ToArray());
        Assert.Equal(ids.Count(id => server.Emulator.State.Catalogue.GetSong(id)?.Audio?.Tempo is not null), stored);
    }

    [Fact]
    public async Task A_payload_stored_without_its_state_is_adopted_on_activation_not_fetched_again()
    {
        var id = TestIds.Track();
        Assert.Equal("enriched", (await TrackPolling.PeekStatusesAsync(server.User, [id]))[id]);

        // Simulate a crash after the payload write and before the state write: drop the grain's state row.
        await server.Factory.DisposeAsync();
        // GrainTypeString holds the state name and GrainIdExtensionString the track id.
        Assert.Equal(1, await DatabaseProbe.ExecuteAsync(server.Database,
            "DELETE FROM OrleansStorage WHERE GrainTypeString = 'track' AND GrainIdExtensionString = @id", ("@id", id)));
        await server.RestartAsync();

        using var response = await server.User.GetAsync($"/api/tracks/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var track = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("track");
        Assert.Equal("enriched", track.GetProperty("enrichment").GetProperty("status").GetString());
        Assert.Equal(1, server.Emulator.State.SoundCharts.Counters.CallsForTrack(id));
    }
}

public sealed class RestartTestsOnSqlite(RestartableServer server) : RestartTests<RestartableServer>(server);

public sealed class RestartTestsOnPostgres(RestartableServerOnPostgres server) : RestartTests<RestartableServerOnPostgres>(server);

public sealed class RestartableServerOnPostgres : RestartableServer
{
    public override bool OnPostgres => true;
}
