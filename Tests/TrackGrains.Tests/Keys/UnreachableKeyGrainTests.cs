using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Keys;

/// <summary>
/// A key's grain that cannot be reached (its silo just died) costs a track nothing: the fetcher tries again for a
/// permit, and an answer already paid for is stored even though its permit could not be handed back.
/// </summary>
public sealed class UnreachableKeyGrainTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string, string> Faults => new()
    {
        { nameof(IApiKeyGrain.TryAcquirePermitAsync), "silo gone" },
        { nameof(IApiKeyGrain.TryAcquirePermitAsync), "call canceled" },
        { nameof(IApiKeyGrain.CompletePermitAsync), "silo gone" },
        { nameof(IApiKeyGrain.CompletePermitAsync), "call canceled" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_key_grain_call_that_fails_with_its_silo_neither_fails_the_track_nor_pays_twice(string method, string fault)
    {
        var id = TestIds.Track();
        // A call in flight when its silo's connection drops ends in an OperationCanceledException; one sent to a
        // silo already known to be gone, in SiloUnavailableException.
        server.Outage.FailNext(method, exception: fault == "call canceled"
            ? () => new OperationCanceledException("test: the key's silo died with the call in flight")
            : null);

        using var response = await server.User.GetAsync($"/api/tracks/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var track = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("track");
        Assert.Equal(0, server.Outage.Pending);
        Assert.Equal("enriched", track.GetProperty("enrichment").GetProperty("status").GetString());
        Assert.Single(server.Emulator.State.SoundCharts.Counters.PaidAnswersForTrack(id));
    }
}
