using System.Net;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Access;

/// <summary>A server with an allow-list, a low request rate per user and a low failed sign-in limit.</summary>
public sealed class AccessFixture() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    ["Access:AllowedSpotifyUsers:0"] = UserId,
    ["Access:AllowedSpotifyUsers:1"] = AccessTests.Flooder,
    ["Access:AllowedSpotifyUsers:2"] = AccessTests.Neighbour,
    ["Access:AllowedSpotifyUsers:3"] = AccessTests.Unregistered,
    ["Access:UserRequestsPerSecond"] = AccessTests.PerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Access:FailedSignInsPerMinute"] = AccessTests.FailedSignIns.ToString(System.Globalization.CultureInfo.InvariantCulture),
    // As behind a proxy: the client address comes from X-Forwarded-For, so a test can be its own address.
    ["ForwardedHeaders_Enabled"] = "true",
})
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var spotify = Emulator.State.Spotify;
        foreach (var user in new[] { AccessTests.Flooder, AccessTests.Neighbour, AccessTests.Stranger, AccessTests.Unregistered })
        {
            spotify.AddUser($"{user}-token", user, librarySize: 5);
        }
    }
}

public sealed class AccessTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    public const string Flooder = "flooding-user";
    public const string Neighbour = "neighbour-user";
    public const string Stranger = "stranger-user";
    public const string Unregistered = "unregistered-user";
    public const int PerSecond = 5;
    public const int FailedSignIns = 5;

    [Fact]
    public async Task A_valid_Spotify_user_not_in_AllowedSpotifyUsers_gets_a_403_naming_the_setting()
    {
        using var allowed = await fixture.User.GetAsync($"/api/tracks/{TestIds.Track()}");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var stranger = fixture.Client($"{Stranger}-token");
        await ProblemAssert.IsProblemAsync(await stranger.GetAsync($"/api/tracks/{TestIds.Track()}"), HttpStatusCode.Forbidden,
            "Access:AllowedSpotifyUsers");
        // Not a sign-in problem: the token is fine, the user is not allowed.
        await ProblemAssert.IsProblemAsync(await stranger.GetAsync("/api/library"), HttpStatusCode.Forbidden, $"'{Stranger}'");
    }

    [Fact]
    public async Task Spotify_403_on_v1_me_for_a_user_the_app_does_not_serve_is_a_403_that_says_so()
    {
        var spotify = fixture.Emulator.State.Spotify;
        var before = spotify.Settings;
        spotify.Settings = before with { AppUsers = [GatewayFixture.UserId, Flooder, Neighbour, Stranger] };
        try
        {
            using var client = fixture.Client($"{Unregistered}-token");
            using var response = await client.GetAsync($"/api/tracks/{TestIds.Track()}");
            Assert.False(response.Headers.WwwAuthenticate.Any(), "the token is valid; signing in again would not help");
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "Development Mode");
        }
        finally
        {
            spotify.Settings = before;
        }
    }

    [Fact]
    public async Task A_flood_from_one_user_is_limited_while_another_users_reads_all_succeed()
    {
        var track = TestIds.Track();
        using (var warm = await fixture.Admin.GetAsync($"/api/tracks/{track}"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }
        using var flooder = fixture.Client($"{Flooder}-token");
        using var neighbour = fixture.Client($"{Neighbour}-token");
        // Sign both users in first (one request each), so the flood measures the rate limit and not Spotify's /v1/me.
        (await flooder.GetAsync($"/api/tracks/{track}")).Dispose();
        (await neighbour.GetAsync($"/api/tracks/{track}")).Dispose();

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var flood = Task.WhenAll(Enumerable.Range(0, 20 * PerSecond).Select(_ => flooder.GetAsync($"/api/tracks/{track}")));
        // What is left of the neighbour's own burst, sent while the flood runs.
        var neighbourReads = Task.WhenAll(Enumerable.Range(0, 2 * PerSecond - 1).Select(_ => neighbour.GetAsync($"/api/tracks/{track}")));
        var flooded = await flood;
        var served = await neighbourReads;
        var seconds = Math.Ceiling(elapsed.Elapsed.TotalSeconds);

        Assert.All(served, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // The flooder got the rest of its burst and what refilled meanwhile (PerSecond a second), no more.
        var admitted = flooded.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(admitted, 2 * PerSecond - 1, 2 * PerSecond - 1 + PerSecond * seconds);
        var limited = flooded.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(flooded.Length - admitted, limited.Count);
        Assert.All(limited, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        await ProblemAssert.IsProblemAsync(limited[0], HttpStatusCode.TooManyRequests, "Access:UserRequestsPerSecond");

        // The admin is exempt.
        var admin = await Task.WhenAll(Enumerable.Range(0, 10 * PerSecond).Select(_ => fixture.Admin.GetAsync($"/api/tracks/{track}")));
        Assert.All(admin, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in flooded.Concat(served).Concat(admin))
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Invalid_tokens_from_one_address_are_refused_with_429_without_asking_Spotify()
    {
        const string address = "203.0.113.7";
        var counters = fixture.Emulator.State.Spotify.Counters;
        for (var i = 0; i < FailedSignIns; i++)
        {
            using var rejected = await FromAsync(address, $"guessed-token-{i}-{Guid.NewGuid():N}");
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        }
        var meCalls = counters.CallsTo("/v1/me");

        using var throttled = await FromAsync(address, $"guessed-token-more-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(throttled.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        await ProblemAssert.IsProblemAsync(throttled, HttpStatusCode.TooManyRequests, "invalid bearer tokens");
        Assert.Equal(meCalls, counters.CallsTo("/v1/me"));

        // A token already known to be good still works from that address; other addresses are not affected.
        (await fixture.User.GetAsync("/api/library")).Dispose();
        using var known = await FromAsync(address, GatewayFixture.UserToken);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        using var elsewhere = await FromAsync("203.0.113.8", $"guessed-token-elsewhere-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        using var admin = await FromAsync(address, GatewayFixture.AdminToken, "/api/stats");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    private async Task<HttpResponseMessage> FromAsync(string address, string token, string path = "/api/library")
    {
        using var client = fixture.Client(token);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", address);
        return await client.SendAsync(request);
    }
}
