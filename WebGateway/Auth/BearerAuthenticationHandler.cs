using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Auth;

/// <summary>
/// One bearer scheme for both kinds of caller: the admin token (or its cookie, for the dashboard)
/// makes an admin; any other token is asked of Spotify and makes a user.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminToken adminToken,
    AdminSessions sessions,
    SignInThrottle signIns,
    SpotifyUserResolver users) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string ProblemKey = "tg.auth.problem";
    private const string UnavailableKey = "tg.auth.spotify-unavailable";
    private const string ThrottledKey = "tg.auth.throttled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = CurrentUser.BearerToken(Request);
        if (token is null)
        {
            return AdminSession();
        }
        if (adminToken.Matches(token))
        {
            return Admin();
        }

        var address = SignInThrottle.AddressOf(Context);
        // A token already known to be good is served without Spotify, so it is never throttled.
        if (users.Cached(token) is not { User: not null } && signIns.Blocked(address) is { } wait)
        {
            Context.Items[ThrottledKey] = wait;
            return Failure("Too many invalid bearer tokens from this address; wait for Retry-After before trying again.", forbidden: false);
        }
        if (token.Length > 2048)
        {
            signIns.RecordFailure(address);
            return Failure("The bearer token is too long to be a Spotify access token.", forbidden: false);
        }

        var resolution = await users.ResolveAsync(token, Context.RequestAborted);
        if (resolution.User is { } user)
        {
            return Success([new Claim(ClaimTypes.Role, AuthNames.UserRole), new Claim(AuthNames.SpotifyUserIdClaim, user.Id)], user.Id);
        }
        if (resolution.SpotifyUnavailable)
        {
            Context.Items[UnavailableKey] = true;
        }
        else if (!resolution.Forbidden)
        {
            signIns.RecordFailure(address);
        }
        return Failure(resolution.Problem!, resolution.Forbidden);
    }

    /// <summary>
    /// The admin page's session cookie, accepted on the dashboard only (the browser cannot send a bearer
    /// header with the dashboard's page loads); the API always wants the bearer header.
    /// </summary>
    private AuthenticateResult AdminSession()
    {
        if (Request.Path.StartsWithSegments(Hosting.PagesExtensions.DashboardPath)
            && Request.Cookies.TryGetValue(AuthNames.AdminCookie, out var session) && !string.IsNullOrEmpty(session)
            && sessions.IsValid(session))
        {
            return Admin();
        }
        return AuthenticateResult.NoResult();
    }

    private AuthenticateResult Admin() =>
        Success([new Claim(ClaimTypes.Role, AuthNames.AdminRole), new Claim(ClaimTypes.Role, AuthNames.UserRole)], "admin");

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledKey] is TimeSpan wait)
        {
            Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Write(Context, StatusCodes.Status429TooManyRequests, "Too many failed sign-ins", (string)Context.Items[ProblemKey]!);
        }
        if (Context.Items.ContainsKey(UnavailableKey))
        {
            // Spotify did not answer: the client's token may be fine, so it must not be told to sign in again.
            Response.Headers.RetryAfter = "5";
            return Problems.Write(Context, StatusCodes.Status503ServiceUnavailable, "Spotify unavailable", (string)Context.Items[ProblemKey]!);
        }
        var problem = Context.Items[ProblemKey] as string
            ?? (Request.Path.StartsWithSegments("/dashboard")
                ? "The Orleans Dashboard is for the administrator: sign in on /admin with the admin token first (a session lasts Admin:SessionLifetime), then open /dashboard."
                : FrameworkProblems.UnauthorizedDetail);
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Authentication required", problem);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Not allowed", Context.Items[ProblemKey] as string ?? FrameworkProblems.ForbiddenDetail);

    private AuthenticateResult Success(Claim[] claims, string name)
    {
        var identity = new ClaimsIdentity([.. claims, new Claim(ClaimTypes.Name, name)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private AuthenticateResult Failure(string problem, bool forbidden)
    {
        Context.Items[ProblemKey] = problem;
        if (forbidden)
        {
            // Authenticated as a Spotify user, but not one this server serves: 403 rather than 401.
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "not-allowed")], Scheme.Name);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
        }
        return AuthenticateResult.Fail(problem);
    }
}
