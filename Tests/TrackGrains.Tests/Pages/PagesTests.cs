using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Pages;

public sealed class PagesFixture() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    ["Spotify:ClientId"] = PagesTests.ClientId,
    // As behind a TLS-terminating proxy (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true): X-Forwarded-Proto is believed.
    ["ForwardedHeaders_Enabled"] = "true",
});

/// <summary>The pages, their assets, the client configuration and the dashboard's admin cookie, over the test server.</summary>
public sealed partial class PagesTests(PagesFixture fixture) : IClassFixture<PagesFixture>
{
    public const string ClientId = "pages-test-client";

    private static readonly string[] PagePaths = ["/", "/admin", "/callback"];
    private static readonly string[] AssetPaths = ["/css/site.css", "/js/common.js", "/js/library.js", "/js/admin.js", "/favicon.svg"];

    [Theory]
    [InlineData("/", "TrackGrains · Library", "/js/library.js")]
    [InlineData("/callback", "TrackGrains · Library", "/js/library.js")]
    [InlineData("/admin", "TrackGrains · Admin", "/js/admin.js")]
    public async Task Pages_are_served_as_html_with_a_same_origin_policy(string path, string title, string script)
    {
        using var response = await fixture.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<title>{title}</title>", html);
        Assert.Contains($"<script src=\"{script}\" defer></script>", html);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains($"connect-src 'self' {fixture.Emulator.BaseUrl}", csp);
    }

    [Theory]
    [InlineData("/css/site.css", "text/css")]
    [InlineData("/js/library.js", "text/javascript")]
    [InlineData("/js/admin.js", "text/javascript")]
    [InlineData("/js/common.js", "text/javascript")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task Static_assets_are_served(string path, string mediaType)
    {
        using var response = await fixture.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.ETag is not null, "static assets carry an ETag, so revalidation is cheap");
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Client_config_is_anonymous_and_names_the_accounts_service_and_client()
    {
        using var response = await fixture.Anonymous.GetAsync("/api/client-config");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var config = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(fixture.Emulator.BaseUrl, config.GetProperty("spotifyAccountsBaseUrl").GetString());
        Assert.Equal(ClientId, config.GetProperty("spotifyClientId").GetString());
        Assert.Equal("user-library-read playlist-read-private", config.GetProperty("scopes").GetString());
        Assert.False(config.GetProperty("demo").GetBoolean());
        Assert.False(config.TryGetProperty("demoToken", out _), "the demo token is only sent in demo mode");
    }

    [Fact]
    public async Task Dashboard_refuses_anonymous_callers_and_users()
    {
        using var anonymous = await fixture.Anonymous.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        var problem = await anonymous.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("/admin", problem.GetProperty("detail").GetString());

        using var user = await fixture.User.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
    }

    [Fact]
    public async Task Admin_session_sets_an_opaque_expiring_strict_httponly_cookie_that_opens_the_dashboard_until_sign_out()
    {
        using var browser = fixture.Factory.CreateClient(); // keeps cookies, as a browser does

        using var session = await browser.PostAsJsonAsync("/admin/session", new { token = GatewayFixture.AdminToken });
        Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        var cookie = Assert.Single(session.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("tg_admin=", cookie);
        var sessionId = cookie["tg_admin=".Length..cookie.IndexOf(';')];
        // An opaque session id, not the admin token (nor anything that contains it).
        Assert.DoesNotContain(GatewayFixture.AdminToken, Uri.UnescapeDataString(sessionId));
        Assert.True(sessionId.Length >= 40, sessionId);
        Assert.Contains("max-age=43200", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        // Plain HTTP without forwarded headers: not Secure, or the browser would drop it.
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);

        using var dashboard = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await dashboard.Content.ReadAsStringAsync());
        // The dashboard's own data calls ride on the same cookie.
        using var counters = await browser.GetAsync("/dashboard/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        // The cookie is scoped to the dashboard: the API still wants a bearer header.
        using var stats = await browser.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, stats.StatusCode);

        using var logout = await browser.PostAsync("/admin/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var after = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);

        // Revoked on the server, not only deleted in the browser: a copy of the old cookie opens nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, await DashboardWithCookieAsync(sessionId));
    }

    [Fact]
    public async Task The_admin_token_itself_is_not_accepted_as_the_dashboard_cookie() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await DashboardWithCookieAsync(GatewayFixture.AdminToken));

    /// <summary>The dashboard's status for a fresh client that sends this admin cookie value and nothing else.</summary>
    private async Task<HttpStatusCode> DashboardWithCookieAsync(string value)
    {
        using var client = fixture.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("Cookie", $"tg_admin={value}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_with_forwarded_headers_the_session_cookie_is_Secure()
    {
        using var client = fixture.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/session")
        {
            Content = JsonContent.Create(new { token = GatewayFixture.AdminToken }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var session = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        Assert.Contains("secure", Assert.Single(session.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_admin_token_is_a_401_problem_and_sets_no_cookie()
    {
        using var response = await fixture.Anonymous.PostAsJsonAsync("/admin/session", new { token = "not-the-admin-token" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Admin:Token", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"token\": 5}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("token=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_malformed_admin_session_request_is_a_problem(string body, string contentType, HttpStatusCode expected)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        using var response = await fixture.Anonymous.PostAsync("/admin/session", content);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task No_page_or_asset_references_an_external_host()
    {
        foreach (var path in PagePaths.Concat(AssetPaths))
        {
            var text = await fixture.Anonymous.GetStringAsync(path);
            var hosts = ExternalReference().Matches(text).Select(m => m.Value)
                // The SVG namespace is a name, not a request; 127.0.0.1 is this machine (the loopback redirect Spotify accepts).
                .Where(url => url != "http://www.w3.org/2000/svg" && !url[(url.IndexOf("//", StringComparison.Ordinal) + 2)..].StartsWith("127.0.0.1", StringComparison.Ordinal))
                .ToList();
            Assert.True(hosts.Count == 0, $"{path} references {string.Join(", ", hosts)}; pages must work offline, from this server only.");
        }
    }

    /// <summary>Absolute or protocol-relative URLs (a comment's "// text" has a space, so it does not match).</summary>
    [GeneratedRegex(@"(?:[a-z][a-z0-9+.-]*:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s""'`)<>]*", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
