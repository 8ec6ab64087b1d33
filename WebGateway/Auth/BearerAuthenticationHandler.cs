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
    SpotifyUserResolver users) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string ProblemKey = "tg.auth.problem";
    private const string UnavailableKey = "tg.auth.spotify-unavailable";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken();
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (adminToken.Matches(token))
        {
            return Success([new Claim(ClaimTypes.Role, AuthNames.AdminRole), new Claim(ClaimTypes.Role, AuthNames.UserRole)], "admin");
        }
        if (token.Length > 2048)
        {
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
        return Failure(resolution.Problem!, resolution.Forbidden);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(UnavailableKey))
        {
            // Spotify did not answer: the client's token may be fine, so it must not be told to sign in again.
            Response.Headers.RetryAfter = "5";
            return Problems.Write(Context, StatusCodes.Status503ServiceUnavailable, "Spotify unavailable", (string)Context.Items[ProblemKey]!);
        }
        var problem = Context.Items[ProblemKey] as string
            ?? (Request.Path.StartsWithSegments("/dashboard")
                ? "The Orleans Dashboard is for the administrator: sign in on /admin with the admin token first, then open /dashboard."
                : FrameworkProblems.UnauthorizedDetail);
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Authentication required", problem);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Not allowed", Context.Items[ProblemKey] as string ?? FrameworkProblems.ForbiddenDetail);

    /// <summary>The bearer header; else the admin cookie, which the dashboard's page loads carry.</summary>
    private string? BearerToken() =>
        CurrentUser.BearerToken(Request)
        ?? (Request.Cookies.TryGetValue(AuthNames.AdminCookie, out var cookie) && !string.IsNullOrEmpty(cookie) ? cookie : null);

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
