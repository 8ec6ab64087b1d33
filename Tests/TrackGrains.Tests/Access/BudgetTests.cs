using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Access;

/// <summary>A server whose users may each cause 5 SoundCharts calls a day.</summary>
public sealed class BudgetFixture() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    ["Access:UserDailySoundChartsCalls"] = BudgetTests.Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
})
{
    private static int _users;

    /// <summary>A fresh Spotify user (its own token and id), as a client.</summary>
    public (string UserId, HttpClient Client) NewUser(int librarySize = 10)
    {
        var n = Interlocked.Increment(ref _users);
        var userId = $"budget-user-{n}";
        var token = $"budget-token-{n}-{Guid.NewGuid():N}";
        Emulator.State.Spotify.AddUser(token, userId, librarySize, seed: 5_000 + n + Random.Shared.Next(1_000_000) * 1000L);
        return (userId, Client(token));
    }
}

public sealed class BudgetTests(BudgetFixture fixture) : IClassFixture<BudgetFixture>
{
    public const int Budget = 5;

    [Fact]
    public async Task A_user_over_budget_gets_429_with_Retry_After_while_another_user_is_served()
    {
        var (spender, spenderClient) = fixture.NewUser();
        var (other, otherClient) = fixture.NewUser();
        var tracks = TestIds.Tracks(Budget + 1);

        foreach (var id in tracks.Take(Budget))
        {
            using var ok = await spenderClient.GetAsync($"/api/tracks/{id}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await spenderClient.GetAsync($"/api/tracks/{tracks[Budget]}");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var untilMidnight = UntilNextUtcDay();
        var retryAfter = refused.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
        Assert.InRange(retryAfter, untilMidnight - TimeSpan.FromSeconds(30), untilMidnight + TimeSpan.FromSeconds(1));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "Access:UserDailySoundChartsCalls");
        // Refused before any call: the budget is what stopped it, not an upstream answer.
        Assert.Equal(0, fixture.Emulator.State.SoundCharts.Counters.CallsForTrack(tracks[Budget]));

        // Other users are not affected: a fresh track for them is fetched and served.
        using var served = await otherClient.GetAsync($"/api/tracks/{TestIds.Track()}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        // The spender's cached reads are still served, singly and in a batch.
        using var cached = await spenderClient.GetAsync($"/api/tracks/{tracks[0]}");
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        using var cachedBatch = await spenderClient.PostAsJsonAsync("/api/tracks/batch", new { trackIds = tracks.Take(Budget) });
        Assert.Equal(HttpStatusCode.OK, cachedBatch.StatusCode);

        // The batch and the audio-features forms refuse uncached tracks the same way.
        using var batch = await spenderClient.PostAsJsonAsync("/api/tracks/batch", new { trackIds = new[] { tracks[0], TestIds.Track() } });
        Assert.Equal(HttpStatusCode.TooManyRequests, batch.StatusCode);
        Assert.NotNull(batch.Headers.RetryAfter);
        using var features = await spenderClient.GetAsync($"/v1/audio-features/{TestIds.Track()}");
        Assert.Equal(HttpStatusCode.TooManyRequests, features.StatusCode);

        // The admin is exempt.
        using var admin = await fixture.Admin.GetAsync($"/api/tracks/{TestIds.Track()}");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);

        var users = await UsersTodayAsync();
        Assert.Equal(Budget, users[spender].GetProperty("soundchartsCalls").GetInt64());
        Assert.Equal(0, users[spender].GetProperty("remaining").GetInt64());
        Assert.Equal(Budget, users[spender].GetProperty("dailyBudget").GetInt64());
        Assert.Equal(3, users[spender].GetProperty("refused").GetInt64());
        Assert.Equal(1, users[other].GetProperty("soundchartsCalls").GetInt64());
    }

    [Fact]
    public async Task Only_calls_actually_caused_are_counted()
    {
        var (first, firstClient) = fixture.NewUser();
        var (second, secondClient) = fixture.NewUser();
        var shared = TestIds.Track();

        using (var fetched = await firstClient.GetAsync($"/api/tracks/{shared}"))
        {
            Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        }
        // A fetch someone else already made, and the same user's repeat read, cost nothing.
        for (var i = 0; i < 3; i++)
        {
            using var again = await secondClient.GetAsync($"/api/tracks/{shared}");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            using var repeat = await firstClient.GetAsync($"/api/tracks/{shared}");
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        }
        // Ten concurrent reads of one uncached track make one call, charged once.
        var concurrent = TestIds.Track();
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => secondClient.GetAsync($"/api/tracks/{concurrent}")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, fixture.Emulator.State.SoundCharts.Counters.CallsForTrack(concurrent));

        var users = await UsersTodayAsync();
        Assert.Equal(1, users[first].GetProperty("soundchartsCalls").GetInt64());
        Assert.Equal(1, users[second].GetProperty("soundchartsCalls").GetInt64());
    }

    [Fact]
    public async Task A_sync_over_budget_waits_for_the_next_day_and_drops_no_track()
    {
        const int librarySize = 12;
        var (userId, client) = fixture.NewUser(librarySize);

        using var start = await client.PostAsync("/api/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var syncId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("syncId").GetString();

        JsonElement status = default;
        await TrackPolling.WaitUntilAsync(async () =>
        {
            status = await client.GetFromJsonAsync<JsonElement>($"/api/sync/{syncId}");
            return status.TryGetProperty("waitingForBudgetUntil", out _) && status.GetProperty("progress").GetProperty("tracksFound").GetInt32() == librarySize;
        }, TimeSpan.FromSeconds(60), () => status.ToString());

        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal(NextUtcDay(), status.GetProperty("waitingForBudgetUntil").GetDateTimeOffset());
        Assert.Contains("Access:UserDailySoundChartsCalls", status.GetProperty("waiting").GetString());
        // Exactly the budget was spent, and every saved track is kept in the library, enriched or waiting. The sync
        // waits as soon as a sixth unit is refused, which can be before the five granted calls have answered.
        int Called() => fixture.Emulator.State.Spotify.GetUser(userId)!.Library
            .Count(item => item.Id is { } id && fixture.Emulator.State.SoundCharts.Counters.CallsForTrack(id) > 0);
        long charged = 0;
        await TrackPolling.WaitUntilAsync(async () => Called() >= Budget
                && (charged = (await UsersTodayAsync())[userId].GetProperty("soundchartsCalls").GetInt64()) >= Budget,
            TimeSpan.FromSeconds(30), () => $"{Called()} tracks called, {charged} calls charged");
        var library = await client.GetFromJsonAsync<JsonElement>("/api/library?limit=50");
        Assert.Equal(librarySize, library.GetProperty("total").GetInt32());
        Assert.Equal(Budget, (await UsersTodayAsync())[userId].GetProperty("soundchartsCalls").GetInt64());
        Assert.Equal(Budget, Called());
    }

    private async Task<Dictionary<string, JsonElement>> UsersTodayAsync()
    {
        var stats = await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/stats");
        return stats.GetProperty("users").EnumerateArray().ToDictionary(u => u.GetProperty("userId").GetString()!, u => u.Clone());
    }

    private static DateTimeOffset NextUtcDay() => new(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero);

    [Fact]
    public async Task An_unknown_recommendation_seed_is_looked_up_within_the_budget_and_refused_once_it_is_spent()
    {
        var (_, client) = fixture.NewUser();
        var tracks = TestIds.Tracks(Budget + 1);
        // Four units on tracks of the catalogue, the fifth on a seed the server has not seen yet.
        foreach (var id in tracks.Take(Budget - 1))
        {
            using var ok = await client.GetAsync($"/api/tracks/{id}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        var seed = tracks[Budget - 1];
        using (var first = await client.GetAsync($"/v1/recommendations?seed_tracks={seed}&target_energy=0.5"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        Assert.Equal(1, fixture.Emulator.State.SoundCharts.Counters.CallsForTrack(seed));

        // The budget is spent: a known seed is still served, an unknown one is refused before any call.
        using (var known = await client.GetAsync($"/v1/recommendations?seed_tracks={seed}&target_energy=0.5"))
        {
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }
        using var refused = await client.GetAsync($"/v1/recommendations?seed_tracks={tracks[Budget]}");
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "Access:UserDailySoundChartsCalls");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(0, fixture.Emulator.State.SoundCharts.Counters.CallsForTrack(tracks[Budget]));
    }

    private static TimeSpan UntilNextUtcDay() => NextUtcDay() - DateTimeOffset.UtcNow;
}
