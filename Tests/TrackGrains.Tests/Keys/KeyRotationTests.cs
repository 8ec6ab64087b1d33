using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Keys;

/// <summary>Key A has the most quota but a tiny rate-limit window that another client of the same key will use up.</summary>
public class RateLimitedKeyServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys =
    [
        new SoundChartsKeyOptions { AppId = "key-a", ApiKey = "key-a-secret-aaaa1111", Quota = 10_000, RateLimit = 4, RateLimitWindow = TimeSpan.FromMinutes(10) },
        new SoundChartsKeyOptions { AppId = "key-b", ApiKey = "key-b-secret-bbbb2222", Quota = 5_000, RateLimit = 10_000 },
    ],
}, new Dictionary<string, string?>());

public abstract class RateLimitRotationTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : RateLimitedKeyServer
{
    [Fact]
    public async Task A_rate_limit_429_moves_the_call_to_another_key_without_failing_and_the_key_rests()
    {
        var counters = server.Emulator.State.SoundCharts.Counters;
        // Two calls: both keys learn their state, and key A (more quota) becomes the preferred one.
        foreach (var id in TestIds.Tracks(2))
        {
            await AssertEnrichedInOneAttempt(id);
        }

        // Someone else spends key A's window, without a 429, so our server does not know.
        using var outside = new HttpClient { BaseAddress = new Uri(server.Emulator.BaseUrl) };
        outside.DefaultRequestHeaders.Add("x-app-id", "key-a");
        outside.DefaultRequestHeaders.Add("x-api-key", "key-a-secret-aaaa1111");
        string? remaining;
        do
        {
            using var spend = await outside.GetAsync($"/api/v2.25/song/by-platform/spotify/{TestIds.Track()}");
            Assert.Equal(HttpStatusCode.OK, spend.StatusCode);
            remaining = spend.Headers.GetValues("x-ratelimit-remaining").Single();
        }
        while (remaining != "0");
        Assert.Equal(0, counters.RateLimited);

        var before = DateTimeOffset.UtcNow;
        foreach (var id in TestIds.Tracks(4))
        {
            await AssertEnrichedInOneAttempt(id);
        }

        Assert.Equal(1, counters.RateLimited);
        Assert.Equal(0, counters.CallsAfterRateLimited("key-a"));

        var keys = await server.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        var keyA = keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("appId").GetString() == "key-a");
        Assert.True(keyA.GetProperty("isActive").GetBoolean());
        var restingUntil = keyA.GetProperty("restingUntil").GetDateTimeOffset();
        Assert.True(restingUntil > before.AddMinutes(9), $"key A should rest until its window resets, rests until {restingUntil:o}");
    }

    private async Task AssertEnrichedInOneAttempt(string id)
    {
        using var response = await server.User.GetAsync($"/api/tracks/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var track = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("track");
        Assert.Equal("enriched", track.GetProperty("enrichment").GetProperty("status").GetString());
        // A rotation to another key is not a failed attempt of the track.
        Assert.Equal(1, track.GetProperty("enrichment").GetProperty("attempts").GetInt32());
    }
}

/// <summary>Three broken keys and one good one.</summary>
public class BrokenKeysServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys =
    [
        new SoundChartsKeyOptions { AppId = "no-plan", ApiKey = "no-plan-secret-3333", PlanLacksEndpoint = true },
        new SoundChartsKeyOptions { AppId = "spent", ApiKey = "spent-secret-4444", Quota = 0 },
        // The good key has the least quota, so the key choice tries the broken ones first.
        new SoundChartsKeyOptions { AppId = "good", ApiKey = "good-secret-5555abcd", Quota = 500 },
    ],
}, new Dictionary<string, string?>
{
    // A key the emulator does not know: SoundCharts answers 401.
    ["SoundCharts:Keys:9:AppId"] = "revoked",
    ["SoundCharts:Keys:9:ApiKey"] = "revoked-secret-6666",
});

public abstract class KeyDeactivationTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : BrokenKeysServer
{
    [Fact]
    public async Task Quota_401_and_403_deactivate_the_key_with_the_reason_and_requests_still_succeed()
    {
        foreach (var id in TestIds.Tracks(8))
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var body = await server.Admin.GetStringAsync("/api/keys/list");
        var keys = JsonDocument.Parse(body).RootElement.GetProperty("keys").EnumerateArray()
            .ToDictionary(k => k.GetProperty("appId").GetString()!);
        Assert.True(keys["good"].GetProperty("isActive").GetBoolean());
        AssertDeactivated(keys["no-plan"], "403");
        AssertDeactivated(keys["revoked"], "401");
        AssertDeactivated(keys["spent"], "quota");

        var counters = server.Emulator.State.SoundCharts.Counters;
        Assert.Equal(1, counters.CallsForKey("no-plan"));
        // The free usage endpoint showed these two unusable before any song call was spent on them.
        Assert.Equal(0, counters.CallsForKey("spent"));
        Assert.Equal(0, counters.CallsForKey("revoked"));
        Assert.True(counters.UsageCalls >= 4);

        foreach (var secret in new[] { "no-plan-secret-3333", "spent-secret-4444", "good-secret-5555abcd", "revoked-secret-6666" })
        {
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain(server.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static void AssertDeactivated(JsonElement key, string reasonPart)
    {
        Assert.False(key.GetProperty("isActive").GetBoolean());
        Assert.Contains(reasonPart, key.GetProperty("deactivationReason").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("****", key.GetProperty("apiKey").GetString());
    }
}

public sealed class RateLimitRotationTestsOnSqlite(RateLimitedKeyServer server) : RateLimitRotationTests<RateLimitedKeyServer>(server);

public sealed class RateLimitRotationTestsOnPostgres(RateLimitedKeyServerOnPostgres server) : RateLimitRotationTests<RateLimitedKeyServerOnPostgres>(server);

public sealed class KeyDeactivationTestsOnSqlite(BrokenKeysServer server) : KeyDeactivationTests<BrokenKeysServer>(server);

public sealed class KeyDeactivationTestsOnPostgres(BrokenKeysServerOnPostgres server) : KeyDeactivationTests<BrokenKeysServerOnPostgres>(server);

public sealed class RateLimitedKeyServerOnPostgres : RateLimitedKeyServer
{
    public override bool OnPostgres => true;
}

public sealed class BrokenKeysServerOnPostgres : BrokenKeysServer
{
    public override bool OnPostgres => true;
}
