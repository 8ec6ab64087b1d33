using System.Text.Json;
using TrackGrains.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TrackGrains.Tests.Compat;

/// <summary>
/// GET /v1/recommendations through Spotify's official TypeScript SDK (recommendations.get), its fetch pointed at the
/// gateway. The pool is exactly the tracks <see cref="RecommendationsSdkFixture"/> had enriched, so every expectation is
/// computed here from the emulator's catalogue: filters hold, targets pull, seeds and repeats stay out, the seeds
/// array has Spotify's shape, bad parameters and strangers are refused in ways the SDK surfaces.
/// </summary>
public sealed class RecommendationsSdkTests(RecommendationsSdkFixture server, ITestOutputHelper output) : IClassFixture<RecommendationsSdkFixture>
{
    [Fact]
    public async Task Picks_pass_every_filter_and_are_never_a_seed_nor_repeated()
    {
        var knownSeeds = server.CatalogueWithAudio.Take(2).ToList();
        // A seed the server has never seen: it enriches it first (one SoundCharts call) and then recommends from it.
        var freshSeed = TrackWithAudio();
        string[] seeds = [.. knownSeeds, freshSeed];
        var request = new Dictionary<string, object>
        {
            ["seed_tracks"] = seeds,
            ["min_energy"] = 0.3,
            ["max_energy"] = 0.8,
            ["min_danceability"] = 0.2,
            ["max_tempo"] = 170,
            ["min_duration_ms"] = 120_000,
            ["limit"] = 50,
            // Programs written for Spotify pass a market; it is accepted and has no say here.
            ["market"] = "US",
        };

        var outcome = Assert.Single(await server.SdkAsync(GatewayFixture.UserToken, new SdkCall("recommendations.get", [request])));
        server.RecordEnriched(freshSeed);

        var body = outcome.Value;
        var picks = TrackIds(body);
        Assert.NotEmpty(picks);
        Assert.True(picks.Count <= 50, $"limit 50, got {picks.Count} tracks");
        Assert.All(picks, id =>
        {
            Assert.Contains(id, server.Enriched);
            Assert.True(server.PassesFilters(id, request), $"{id} fails a filter: {Describe(id, request)}");
            Assert.DoesNotContain(id, seeds);
        });
        Assert.Equal(picks.Count, picks.Distinct(StringComparer.Ordinal).Count());
        Assert.All(body.GetProperty("tracks").EnumerateArray(), track =>
        {
            Assert.Equal("track", track.GetProperty("type").GetString());
            Assert.Equal($"spotify:track:{track.GetProperty("id").GetString()}", track.GetProperty("uri").GetString());
        });
        Assert.Equal(1, server.Emulator.State.SoundCharts.Counters.CallsForTrack(freshSeed));

        // The SDK joins an array with commas (URL-encoded); the server reads the list back.
        Assert.Contains($"seed_tracks={string.Join("%2C", seeds)}", Assert.Single(outcome.Urls));

        // Counted over exactly the tracks this fixture had enriched, the seeds left out (docs/recommendations.md).
        var withAudio = server.Enriched.Count(id => server.Feature(id, "energy") is not null && !seeds.Contains(id));
        var filteredPool = server.FilteredPool(request, seeds).Count;
        var echoed = body.GetProperty("seeds").EnumerateArray().ToList();
        Assert.Equal(seeds, echoed.Select(s => s.GetProperty("id").GetString()));
        Assert.All(echoed, seed =>
        {
            Assert.Equal("TRACK", seed.GetProperty("type").GetString());
            Assert.EndsWith($"/tracks/{seed.GetProperty("id").GetString()}", seed.GetProperty("href").GetString());
            var initial = seed.GetProperty("initialPoolSize").GetInt32();
            var afterFiltering = seed.GetProperty("afterFilteringSize").GetInt32();
            var afterRelinking = seed.GetProperty("afterRelinkingSize").GetInt32();
            Assert.True(initial >= afterFiltering && afterFiltering >= afterRelinking && afterRelinking >= picks.Count,
                $"sizes must shrink step by step: initial {initial} >= filtered {afterFiltering} >= relinked {afterRelinking} >= picks {picks.Count}");
            Assert.Equal(withAudio, initial);
            Assert.Equal(filteredPool, afterFiltering);
        });
    }

    [Fact]
    public async Task A_target_pulls_the_picks_toward_it_compared_with_the_filtered_pool()
    {
        // Seeds far from the targets, so that what pulls the picks there is the target, not the seed.
        var lowEnergySeed = server.CatalogueWithAudio.First(id => server.Feature(id, "energy") < 0.4);
        var fastSeed = server.CatalogueWithAudio.First(id => server.Feature(id, "tempo") > 150);
        var towardEnergy = new Dictionary<string, object>
        {
            ["seed_tracks"] = new[] { lowEnergySeed },
            ["min_danceability"] = 0.25,
            ["target_energy"] = 0.9,
            ["limit"] = 20,
        };
        var towardTempo = new Dictionary<string, object>
        {
            ["seed_tracks"] = new[] { fastSeed },
            ["max_valence"] = 0.8,
            ["target_tempo"] = 80,
            ["limit"] = 20,
        };

        var outcomes = await server.SdkAsync(GatewayFixture.UserToken,
            new SdkCall("recommendations.get", [towardEnergy]),
            new SdkCall("recommendations.get", [towardTempo]));

        AssertPulledToward(outcomes[0].Value, towardEnergy, [lowEnergySeed], "energy", 0.9);
        AssertPulledToward(outcomes[1].Value, towardTempo, [fastSeed], "tempo", 80);
    }

    [Fact]
    public async Task Limit_is_honoured_defaults_to_twenty_and_the_same_request_picks_the_same_tracks()
    {
        var seed = server.CatalogueWithAudio[10];
        var outcomes = await server.SdkAsync(GatewayFixture.UserToken,
            new SdkCall("recommendations.get", [new Dictionary<string, object> { ["seed_tracks"] = new[] { seed }, ["limit"] = 1 }]),
            new SdkCall("recommendations.get", [new Dictionary<string, object> { ["seed_tracks"] = new[] { seed }, ["limit"] = 7 }]),
            new SdkCall("recommendations.get", [new Dictionary<string, object> { ["seed_tracks"] = new[] { seed } }]),
            new SdkCall("recommendations.get", [new Dictionary<string, object> { ["seed_tracks"] = new[] { seed }, ["limit"] = 100 }]),
            new SdkCall("recommendations.get", [new Dictionary<string, object> { ["seed_tracks"] = new[] { seed }, ["limit"] = 7 }]));

        // The pool (about 290 tracks with audio, no filter) holds more than any of these limits.
        Assert.Single(TrackIds(outcomes[0].Value));
        Assert.Equal(7, TrackIds(outcomes[1].Value).Count);
        Assert.Equal(20, TrackIds(outcomes[2].Value).Count);
        Assert.Equal(100, TrackIds(outcomes[3].Value).Count);
        Assert.Equal(TrackIds(outcomes[1].Value), TrackIds(outcomes[4].Value));
    }

    [Fact]
    public async Task Bad_parameters_surface_as_SDK_errors_carrying_our_400_problem()
    {
        var seed = server.CatalogueWithAudio[0];
        var sixFreshSeeds = TestIds.Tracks(6);
        var cases = new (string Why, Dictionary<string, object> Request, string Names)[]
        {
            ("genre seeds (SoundCharts gives no genres here)", new() { ["seed_genres"] = new[] { "rock" } }, "seed_genres"),
            ("six seeds", new() { ["seed_tracks"] = sixFreshSeeds }, "seed"),
            ("no seed at all", new() { ["limit"] = 5 }, "seed"),
            ("min_energy beyond 1", new() { ["seed_tracks"] = new[] { seed }, ["min_energy"] = 2 }, "min_energy"),
            ("min above max", new() { ["seed_tracks"] = new[] { seed }, ["min_tempo"] = 150, ["max_tempo"] = 90 }, "tempo"),
            ("limit above 100", new() { ["seed_tracks"] = new[] { seed }, ["limit"] = 101 }, "limit"),
        };

        var outcomes = await server.SdkAsync(GatewayFixture.UserToken, [.. cases.Select(c => new SdkCall("recommendations.get", [c.Request]))]);

        for (var i = 0; i < cases.Length; i++)
        {
            var (why, _, names) = cases[i];
            var outcome = outcomes[i];
            Assert.True(outcome.Result is null, $"{why}: expected the SDK to throw, it returned {outcome.Result}");
            Assert.True(outcome.Status == 400, $"{why}: expected HTTP 400, got {outcome.Status}: {outcome.Error}");
            // The SDK's message for a status it has no words of its own for: the code and our problem body.
            Assert.Contains("400", outcome.Error);
            var detail = QuotedProblemDetail(outcome, why);
            Assert.True(detail.Contains(names, StringComparison.Ordinal), $"{why}: the problem should name {names}: {detail}");
        }
        // Refused before any work: six seeds are not enriched first.
        Assert.All(sixFreshSeeds, id => Assert.Equal(0, server.Emulator.State.SoundCharts.Counters.CallsForTrack(id)));
    }

    [Fact]
    public async Task Strangers_get_the_SDK_401_error_and_the_admin_is_served()
    {
        var request = new Dictionary<string, object> { ["seed_tracks"] = new[] { server.CatalogueWithAudio[0] }, ["limit"] = 3 };

        var strangers = await server.SdkAsync("not-a-token-anyone-issued",
            new SdkCall("recommendations.get", [request]),
            new SdkCall("recommendations.get", [request]) { WithoutAuthorization = true });
        var admin = Assert.Single(await server.SdkAsync(GatewayFixture.AdminToken, new SdkCall("recommendations.get", [request])));

        Assert.All(strangers, outcome =>
        {
            Assert.Null(outcome.Result);
            Assert.Equal(401, outcome.Status);
            Assert.StartsWith("Bad or expired token", outcome.Error);
        });
        Assert.Equal(3, TrackIds(admin.Value).Count);
    }

    private void AssertPulledToward(JsonElement body, Dictionary<string, object> request, string[] seeds, string attribute, double target)
    {
        var picks = TrackIds(body);
        var pool = server.FilteredPool(request, seeds);
        Assert.True(pool.Count > 3 * picks.Count, $"the filtered pool ({pool.Count}) should be well larger than the picks ({picks.Count})");
        Assert.All(picks, id => Assert.Contains(id, pool));
        var picksDistance = picks.Average(id => Math.Abs(server.Feature(id, attribute)!.Value - target));
        var poolDistance = pool.Average(id => Math.Abs(server.Feature(id, attribute)!.Value - target));
        output.WriteLine($"target_{attribute}={target}: {picks.Count} picks at mean distance {picksDistance:0.###}, filtered pool of {pool.Count} at {poolDistance:0.###}");
        Assert.True(picksDistance < poolDistance,
            $"target_{attribute}={target}: mean distance of the picks {picksDistance:0.###} should be below the filtered pool's {poolDistance:0.###}");
    }

    private static List<string> TrackIds(JsonElement body) =>
        [.. body.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];

    /// <summary>The detail of the problem body the SDK quotes in its message ("... Body: {json}").</summary>
    private static string QuotedProblemDetail(SdkOutcome outcome, string why)
    {
        var error = outcome.Error ?? "";
        var start = error.IndexOf("Body: ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{why}: the SDK's message should quote the response body: {error}");
        using var problem = JsonDocument.Parse(error[(start + "Body: ".Length)..]);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        return problem.RootElement.GetProperty("detail").GetString() ?? "";
    }

    private string Describe(string id, IReadOnlyDictionary<string, object> request) => string.Join(", ", request.Keys
        .Where(k => k.StartsWith("min_", StringComparison.Ordinal) || k.StartsWith("max_", StringComparison.Ordinal))
        .Select(k => k[4..]).Distinct().Select(a => $"{a}={server.Feature(id, a)}"));

    private string TrackWithAudio()
    {
        while (true)
        {
            var id = TestIds.Track();
            if (server.Emulator.State.Catalogue.GetSong(id).Audio is not null)
            {
                return id;
            }
        }
    }
}
