using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

public abstract class StatsAccessAndWarningsTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : LowQuotaServer
{
    [Fact]
    public async Task Stats_refuse_anonymous_and_user_callers_with_problem_details()
    {
        using var anonymous = await server.Anonymous.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await ProblemAssert.IsProblemAsync(anonymous, null, "Authorization: Bearer");

        using var user = await server.User.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        await ProblemAssert.IsProblemAsync(user, null, "admin");

        using var badDays = await server.Admin.GetAsync("/api/stats?days=0");
        Assert.Equal(HttpStatusCode.BadRequest, badDays.StatusCode);
        await ProblemAssert.IsProblemAsync(badDays, null, "days");
    }

    [Fact]
    public async Task Low_quota_and_exhausted_keys_show_as_warnings()
    {
        // 12 calls of quota: after three fetches the key reports 9 left, below the warning threshold of 10.
        foreach (var id in TestIds.Tracks(3))
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var stats = await server.Admin.GetFromJsonAsync<JsonElement>("/api/stats");
        var key = Assert.Single(stats.GetProperty("apiKeysStatus").EnumerateArray());
        Assert.Equal(9, key.GetProperty("quotaRemaining").GetInt64());
        var warning = Assert.Single(stats.GetProperty("warnings").EnumerateArray());
        Assert.Equal("quotaLow", warning.GetProperty("code").GetString());
        Assert.Equal(key.GetProperty("id").GetString(), warning.GetProperty("keyId").GetString());
        Assert.Contains("9 calls of quota left", warning.GetProperty("message").GetString());

        // SoundCharts says the quota is spent: the key is deactivated and nothing can serve.
        server.Emulator.State.SoundCharts.GetKey(LowQuotaServer.AppId)!.SetQuotaRemaining(0);
        using (var waiting = await server.User.GetAsync($"/api/tracks/{TestIds.Track()}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        }
        stats = await server.Admin.GetFromJsonAsync<JsonElement>("/api/stats");
        key = Assert.Single(stats.GetProperty("apiKeysStatus").EnumerateArray());
        Assert.False(key.GetProperty("isActive").GetBoolean());
        warning = Assert.Single(stats.GetProperty("warnings").EnumerateArray());
        Assert.Equal("allKeysExhausted", warning.GetProperty("code").GetString());
        Assert.Contains("POST /api/keys/add", warning.GetProperty("message").GetString());
        Assert.Equal(1, stats.GetProperty("failedRequests").GetProperty("retryQueue").GetInt64());
    }
}

public sealed class StatsAccessAndWarningsTestsOnSqlite(LowQuotaServer server) : StatsAccessAndWarningsTests<LowQuotaServer>(server);

public sealed class StatsAccessAndWarningsTestsOnPostgres(LowQuotaServerOnPostgres server) : StatsAccessAndWarningsTests<LowQuotaServerOnPostgres>(server);
