using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Api;

public sealed class MalformedRequestTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    private sealed record Probe(string Method, string Path, string? Body, string? ContentType, string? Bearer, string Why);

    [Fact]
    public async Task Hundreds_of_malformed_requests_all_get_a_4xx_problem_and_never_a_5xx()
    {
        var probes = Probes().ToList();
        Assert.True(probes.Count >= 200, $"only {probes.Count} probes");
        var failures = new List<string>();
        foreach (var probe in probes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Path);
            if (probe.Body is not null)
            {
                request.Content = new StringContent(probe.Body, Encoding.UTF8);
                request.Content.Headers.ContentType = probe.ContentType is null ? null : MediaTypeHeaderValue.Parse(probe.ContentType);
            }
            if (probe.Bearer is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", probe.Bearer);
            }
            using var response = await server.Anonymous.SendAsync(request);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var body = await response.Content.ReadAsStringAsync();
            if (status is < 400 or > 499 || mediaType != "application/problem+json" || !body.Contains("\"detail\"", StringComparison.Ordinal))
            {
                failures.Add($"{probe.Why}: {probe.Method} {Trim(probe.Path)} -> {status} {mediaType} {Trim(body)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    [Theory]
    [InlineData("GET", "/api/keys/list")]
    [InlineData("POST", "/api/keys/add")]
    [InlineData("POST", "/api/retry-failed")]
    [InlineData("GET", "/api/stats")]
    public async Task Admin_endpoints_refuse_users_and_anonymous_callers(string method, string path)
    {
        using var asUser = await server.User.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        Assert.Equal("application/problem+json", asUser.Content.Headers.ContentType?.MediaType);
        using var anonymous = await server.Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    private static string Trim(string text) => text.Length > 160 ? text[..160] + "…" : text;

    private static IEnumerable<Probe> Probes()
    {
        const string user = "Bearer " + GatewayFixture.UserToken;
        const string admin = "Bearer " + GatewayFixture.AdminToken;
        var random = new Random(20261126);
        string Noise(int length) => new(Enumerable.Range(0, length).Select(_ => (char)random.Next(33, 127)).ToArray());

        // Track ids of every wrong shape.
        var badIds = new List<string> { "a", "abc", new string('a', 21), new string('a', 23), new string('a', 500), "7A9rdAz2M6AjRwOa34jxI-", "7A9rdAz2M6AjRwOa34jxI_",
            "7A9rdAz2M6AjRwOa34jxIé", "spotify:track:7A9rdAz2M6AjRwOa34jxIP", "%20%20", "null" };
        for (var i = 0; i < 60; i++)
        {
            badIds.Add(Uri.EscapeDataString(Noise(random.Next(1, 40))));
        }
        foreach (var id in badIds)
        {
            yield return new("GET", $"/api/tracks/{id}", null, null, user, "bad track id");
            yield return new("GET", $"/v1/audio-features/{id}", null, null, user, "bad compat id");
        }

        var valid = TestIds.Track(new Random(1));
        var ids101 = string.Join(",", Enumerable.Range(0, 101).Select(_ => $"\"{TestIds.Track(random)}\""));
        var bodies = new (string Body, string Why)[]
        {
            ("{\"trackIds\": [" + ids101 + "]}", "101 ids"),
            ("{\"trackIds\": []}", "no ids"),
            ("{\"trackIds\": \"" + valid + "\"}", "ids not an array"),
            ("{\"trackIds\": 5}", "ids a number"),
            ("{\"trackIds\": [1, 2]}", "ids numbers"),
            ("{\"trackIds\": [null]}", "null id"),
            ("{\"trackIds\": [[\"" + valid + "\"]]}", "nested array"),
            ("{\"trackIds\": [\"bad\"]}", "invalid id"),
            ("{}", "missing ids"),
            ("null", "json null"),
            ("[]", "array body"),
            ("\"text\"", "string body"),
            ("{\"trackIds\": [\"" + valid + "\"", "truncated"),
            ("{trackIds: []}", "unquoted key"),
            ("{\"trackIds\": [\"" + valid + "\",]}", "trailing comma"),
            ("", "empty body"),
            ("\u0000\u0001", "binary"),
            ("{\"trackIds\": [\"" + valid + "\"]} trailing", "trailing junk"),
        };
        foreach (var (body, why) in bodies)
        {
            yield return new("POST", "/api/tracks/batch", body, "application/json", user, why);
        }
        for (var i = 0; i < 40; i++)
        {
            yield return new("POST", "/api/tracks/batch", Noise(random.Next(1, 200)), "application/json", user, "random bytes");
        }
        foreach (var contentType in new[] { "text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x" })
        {
            yield return new("POST", "/api/tracks/batch", "{\"trackIds\": [\"" + valid + "\"]}", contentType, user, "wrong content type");
        }
        yield return new("POST", "/api/tracks/batch", "{\"trackIds\": [\"" + valid + "\"]}", null, user, "no content type");
        yield return new("POST", "/api/tracks/batch", "{\"trackIds\": [\"" + new string('x', 200_000) + "\"]}", "application/json", user, "oversized body");

        // Auth: missing, empty, wrong scheme, unknown token, wrong admin token.
        foreach (var bearer in new string?[] { null, "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-real-token", "Bearer " + new string('z', 5000), "bearer\ttoken" })
        {
            yield return new("GET", $"/api/tracks/{valid}", null, null, bearer, "bad auth on tracks");
            yield return new("GET", "/api/keys/list", null, null, bearer, "bad auth on keys");
            yield return new("POST", "/api/sync", "{}", "application/json", bearer, "bad auth on sync");
        }

        // Key administration with bad bodies.
        foreach (var (body, why) in new[]
        {
            ("{}", "no fields"), ("{\"appId\": \"a\"}", "no key"), ("{\"apiKey\": \"k\"}", "no app"), ("{\"appId\": \" \", \"apiKey\": \" \"}", "blank"),
            ("{\"appId\": 1, \"apiKey\": 2}", "numbers"), ("{\"appId\": \"a\", \"apiKey\": \"" + new string('k', 600) + "\"}", "too long"),
            ("{\"appId\": \"a\\u0000\", \"apiKey\": \"k\"}", "control char"), ("not json", "not json"),
        })
        {
            yield return new("POST", "/api/keys/add", body, "application/json", admin, "bad key body: " + why);
        }
        yield return new("POST", "/api/keys/add", "{\"appId\":\"a\",\"apiKey\":\"k\"}", "text/plain", admin, "key wrong content type");

        // Sync, library and compat parameters.
        foreach (var (body, why) in new[] { ("{\"collectionType\": \"everything\"}", "unknown collection"), ("{\"collectionType\": 3}", "number collection"), ("[1]", "array"), ("{", "truncated") })
        {
            yield return new("POST", "/api/sync", body, "application/json", user, "bad sync body: " + why);
        }
        yield return new("POST", "/api/sync", "{}", "application/json", admin, "sync without a Spotify user");
        foreach (var query in new[] { "offset=-1", "limit=0", "limit=100000", "limit=abc", "offset=1.5", "offset=99999999999999999999" })
        {
            yield return new("GET", $"/api/library?{query}", null, null, user, "bad library paging");
        }
        yield return new("GET", "/v1/audio-features?ids=" + string.Join(",", Enumerable.Range(0, 101).Select(_ => TestIds.Track(random))), null, null, user, "101 compat ids");
        yield return new("GET", "/v1/audio-features?ids=bad," + valid, null, null, user, "bad compat id in list");
        yield return new("GET", "/v1/audio-features", null, null, user, "no compat ids");
        yield return new("GET", "/api/sync/not-a-sync-id", null, null, user, "bad sync id");

        // Routing: unknown paths and wrong methods.
        foreach (var path in new[] { "/api/nothing", "/api/tracks", "/api/tracks/a/b/c", "/v2/audio-features", "/api/keys" })
        {
            yield return new("GET", path, null, null, user, "unknown path");
        }
        yield return new("DELETE", $"/api/tracks/{valid}", null, null, user, "wrong method");
        yield return new("PUT", "/api/tracks/batch", "{}", "application/json", user, "wrong method");
        yield return new("GET", "/api/tracks/batch", null, null, user, "batch as GET");
    }
}
