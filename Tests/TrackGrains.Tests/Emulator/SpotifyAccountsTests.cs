using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace TrackGrains.Tests.Emulator;

public sealed class SpotifyAccountsTests
{
    private const string RedirectUri = "http://127.0.0.1:8080/callback";
    private const string Verifier = "a-verifier-of-at-least-forty-three-characters-0123456789";

    [Fact]
    public async Task Pkce_exchange_verifies_the_verifier_and_registers_the_token()
    {
        await using var host = await EmulatorHost.StartAsync();

        var wrongCode = await Authorize(host, "s1");
        using var wrong = await Exchange(host, wrongCode, "not-the-verifier-not-the-verifier-not-the-verifier");
        Assert.Equal(400, (int)wrong.StatusCode);
        Assert.Equal("invalid_grant", (string)(await wrong.Json())["error"]!);

        var code = await Authorize(host, "s2");
        using var ok = await Exchange(host, code, Verifier);
        var token = await ok.Json();
        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal("Bearer", (string)token["token_type"]!);
        Assert.Equal(3600, (int)token["expires_in"]!);
        Assert.Equal("user-library-read playlist-read-private", (string)token["scope"]!);

        var me = await host.GetSpotifyJson("/v1/me", (string)token["access_token"]!);
        Assert.Equal("demo-user", (string)me["id"]!);

        // The code is single use.
        Assert.Equal(400, (int)(await Exchange(host, code, Verifier)).StatusCode);
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_access_tokens_expire_after_an_hour()
    {
        await using var host = await EmulatorHost.StartAsync();
        var token = await (await Exchange(host, await Authorize(host, "s"), Verifier)).Json();
        var refresh = (string)token["refresh_token"]!;

        using var refreshed = await Post(host, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "client" });
        var renewed = await refreshed.Json();
        Assert.Equal(200, (int)refreshed.StatusCode);
        Assert.NotEqual(refresh, (string)renewed["refresh_token"]!);
        Assert.Equal(400, (int)(await Post(host, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "client" })).StatusCode);

        host.Time.Advance(TimeSpan.FromHours(1));
        using var expired = await host.GetSpotify("/v1/me", (string)renewed["access_token"]!);
        Assert.Equal("The access token expired", await expired.SpotifyError());
    }

    [Fact]
    public async Task Authorize_refuses_localhost_and_reports_bad_requests_to_the_redirect()
    {
        await using var host = await EmulatorHost.StartAsync();

        using var localhost = await host.Http.GetAsync(AuthorizeUrl("http://localhost:8080/callback", "S256", "s"));
        Assert.Equal(400, (int)localhost.StatusCode);

        using var plain = await host.Http.GetAsync(AuthorizeUrl(RedirectUri, "plain", "s"));
        var query = QueryHelpers.ParseQuery(plain.Headers.Location!.Query);
        Assert.Equal("invalid_request", query["error"].ToString());
        Assert.Equal("s", query["state"].ToString());
    }

    private static async Task<string> Authorize(EmulatorHost host, string state)
    {
        using var response = await host.Http.GetAsync(AuthorizeUrl(RedirectUri, "S256", state));
        Assert.Equal(302, (int)response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString());
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(state, query["state"].ToString());
        return query["code"].ToString();
    }

    private static string AuthorizeUrl(string redirectUri, string method, string state)
    {
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
        return QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "client",
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["code_challenge_method"] = method,
            ["code_challenge"] = challenge,
            ["scope"] = "user-library-read playlist-read-private",
        });
    }

    private static Task<HttpResponseMessage> Exchange(EmulatorHost host, string code, string verifier) => Post(host, new()
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = RedirectUri,
        ["client_id"] = "client",
        ["code_verifier"] = verifier,
    });

    private static Task<HttpResponseMessage> Post(EmulatorHost host, Dictionary<string, string> form) =>
        host.Http.PostAsync("/api/token", new FormUrlEncodedContent(form));
}
