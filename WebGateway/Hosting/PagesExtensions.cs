using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using TrackGrains.Grains.Options;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Hosting;

/// <summary>
/// The browser side: the library page (/ and its sign-in callback), the admin page, their static files,
/// the anonymous client configuration they start from, the admin cookie for the Orleans Dashboard, and
/// the dashboard itself at /dashboard behind the admin policy.
/// </summary>
public static class PagesExtensions
{
    public const string DashboardPath = "/dashboard";
    public const string SpotifyScopes = "user-library-read playlist-read-private";

    /// <summary>
    /// Pages and assets are embedded in the assembly (from wwwroot/), so they are served whatever the
    /// working directory the server was started from; the content root only decides where data goes.
    /// </summary>
    private static readonly EmbeddedFileProvider Assets = new(typeof(PagesExtensions).Assembly, "TrackGrains.WebGateway.wwwroot");

    public static WebApplicationBuilder AddTrackPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        return builder;
    }

    /// <summary>The silo side of the dashboard: its grains and the call profiler that feeds it.</summary>
    public static ISiloBuilder AddTrackDashboard(this ISiloBuilder silo) => silo.AddDashboard();

    public static WebApplication MapTrackPages(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Assets,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => PageHeaders(context.Context),
        });

        var pages = app.MapGroup("").WithTags("Pages").ExcludeFromDescription();
        pages.MapGet("/", (HttpContext context) => Page(context, "index.html"));
        // Spotify sends the browser back here with ?code=..&state=..; the library page finishes the sign-in.
        pages.MapGet("/callback", (HttpContext context) => Page(context, "index.html"));
        pages.MapGet("/admin", (HttpContext context) => Page(context, "admin.html"));

        app.MapGet("/api/client-config", GetClientConfig)
            .WithTags("Pages")
            .WithSummary("What the browser needs to sign in with Spotify (Authorization Code with PKCE): accounts host, client id, scopes; in demo mode the demo user's token.")
            .Produces<ClientConfig>();

        var admin = app.MapGroup("/admin").WithTags("Admin");
        admin.MapPost("/session", StartAdminSession)
            .WithSummary("Checks the admin token ({\"token\": \"...\"}) and sets the HttpOnly session cookie (an opaque id with an expiry, not the token) that opens the Orleans Dashboard in this browser.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        admin.MapPost("/logout", EndAdminSession)
            .WithSummary("Signs out: revokes the session on the server and clears its cookie.")
            .Produces(StatusCodes.Status204NoContent);

        app.MapOrleansDashboard(routePrefix: DashboardPath).RequireAuthorization(AuthNames.AdminPolicy).ExcludeFromDescription();
        return app;
    }

    public static Ok<ClientConfig> GetClientConfig(IOptions<SpotifyOptions> spotify, IOptions<DemoOptions> demo) =>
        TypedResults.Ok(new ClientConfig(
            spotify.Value.AccountsBaseUrl.TrimEnd('/'),
            string.IsNullOrWhiteSpace(spotify.Value.ClientId) ? null : spotify.Value.ClientId,
            SpotifyScopes,
            demo.Value.Enabled,
            // Not a secret: the emulator's demo listener, announced on the console at start.
            demo.Value.Enabled ? DemoMode.DemoUserToken : null));

    public static async Task<IResult> StartAdminSession(HttpContext context, AdminToken adminToken, AdminSessions sessions, JsonSerializerOptionsProvider json)
    {
        var (body, problem) = await JsonBody.ReadAsync<AdminSessionRequest>(context.Request, json.Options);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(body!.Token))
        {
            return Problems.BadRequest("Send {\"token\": \"<admin token>\"} with the admin token.");
        }
        if (!adminToken.Matches(body.Token.Trim()))
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Wrong admin token",
                "That is not the admin token. It is Admin:Token from the configuration or, when none is configured, the contents of " +
                "the admin-token file in the data folder (its location is printed at the first start).");
        }
        // An opaque session id, not the token: it opens the dashboard only, expires, and sign-out revokes it.
        var options = AdminCookieOptions(context);
        options.MaxAge = sessions.Lifetime;
        context.Response.Cookies.Append(AuthNames.AdminCookie, sessions.Start(), options);
        return TypedResults.NoContent();
    }

    public static NoContent EndAdminSession(HttpContext context, AdminSessions sessions)
    {
        if (context.Request.Cookies.TryGetValue(AuthNames.AdminCookie, out var session) && !string.IsNullOrEmpty(session))
        {
            sessions.End(session);
        }
        context.Response.Cookies.Delete(AuthNames.AdminCookie, AdminCookieOptions(context));
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The session cookie is sent site-wide so that sign-out (/admin/logout) can revoke it, but only the
    /// dashboard accepts it (see BearerAuthenticationHandler): the pages call the API with a bearer
    /// header, so a cross-site request can never borrow the cookie for the API. HttpOnly keeps it from
    /// scripts, SameSite=Strict from other sites; Secure behind TLS, which a proxy in front reports
    /// through forwarded headers (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true).
    /// </summary>
    private static CookieOptions AdminCookieOptions(HttpContext context) => new()
    {
        Path = "/",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        IsEssential = true,
    };

    private static IResult Page(HttpContext context, string file)
    {
        PageHeaders(context);
        var page = Assets.GetFileInfo(file);
        return TypedResults.Stream(page.CreateReadStream(), "text/html; charset=utf-8", lastModified: page.LastModified);
    }

    private static void PageHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        // Revalidate every time (the ETag makes that cheap), so an upgrade is seen at the next load.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Scripts and styles come from this server only; the one foreign host is Spotify's accounts
        // service, which the library page posts the PKCE code exchange to.
        var accounts = context.RequestServices.GetRequiredService<IOptions<SpotifyOptions>>().Value.AccountsBaseUrl;
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
            $"connect-src 'self' {Origin(accounts)}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    }

    private static string Origin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "";
}

/// <summary>Demo mode as the pages see it; <see cref="DemoMode"/> sets Demo:Enabled when it starts the emulator.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; }
}

public sealed record AdminSessionRequest(string? Token);

/// <param name="SpotifyAccountsBaseUrl">Where /authorize and /api/token are (Spotify:AccountsBaseUrl).</param>
/// <param name="SpotifyClientId">Spotify:ClientId; null when not configured (then only a pasted token signs in).</param>
/// <param name="DemoToken">Only in demo mode: the emulator's demo listener's token.</param>
public sealed record ClientConfig(
    string SpotifyAccountsBaseUrl,
    string? SpotifyClientId,
    string Scopes,
    bool Demo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DemoToken);
