using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TrackGrains.Emulator.Spotify;

/// <summary>
/// accounts.spotify.com: Authorization Code with PKCE (S256). /authorize approves at once for the
/// configured demo user; /api/token verifies the code verifier and registers the access token.
/// Errors follow RFC 6749: redirect errors as ?error=..&amp;state=.., token errors as JSON.
/// </summary>
internal static class SpotifyAccountsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        endpoints.MapGet("/authorize", context => Authorize(context, state));
        endpoints.MapPost("/api/token", context => Token(context, state));
    }

    private static async Task Authorize(HttpContext context, EmulatorState state)
    {
        var spotify = state.Spotify;
        spotify.Counters.AuthorizeCall();
        var query = context.Request.Query;
        string clientId = query["client_id"].ToString(), redirectUri = query["redirect_uri"].ToString(), stateParam = query["state"].ToString();

        // Without a valid client and redirect URI there is nowhere safe to send an error: Spotify shows a page.
        if (clientId.Length == 0 || (spotify.Accounts.ClientId is { } expected && expected != clientId))
        {
            await EmulatorJson.WriteRaw(context, 400, "text/plain", "INVALID_CLIENT: Invalid client");
            return;
        }

        if (!IsAllowedRedirect(redirectUri))
        {
            await EmulatorJson.WriteRaw(context, 400, "text/plain", "INVALID_CLIENT: Invalid redirect URI");
            return;
        }

        string? error = query["response_type"] != "code" ? "unsupported_response_type"
            : query["code_challenge_method"] != "S256" || query["code_challenge"].ToString().Length < 43 ? "invalid_request"
            : null;
        var parameters = new Dictionary<string, string>();
        if (error is not null)
        {
            parameters["error"] = error;
        }
        else
        {
            var code = RandomToken(48);
            spotify.PendingCodes[code] = new PendingAuthorization(
                clientId,
                redirectUri,
                query["code_challenge"].ToString(),
                query["scope"].ToString(),
                spotify.Accounts.DemoUser.UserId,
                state.Time.GetUtcNow() + spotify.Accounts.AuthorizationCodeLifetime);
            parameters["code"] = code;
        }

        if (stateParam.Length > 0)
        {
            parameters["state"] = stateParam;
        }

        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var queryString = string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        context.Response.Redirect($"{redirectUri}{separator}{queryString}");
    }

    private static async Task Token(HttpContext context, EmulatorState state)
    {
        var spotify = state.Spotify;
        spotify.Counters.TokenCall();
        // Like accounts.spotify.com: a browser app exchanges its PKCE code from its own origin.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        if (!context.Request.HasFormContentType)
        {
            await Error(context, 400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var clientId = form["client_id"].ToString();
        if (clientId.Length == 0 || (spotify.Accounts.ClientId is { } expected && expected != clientId))
        {
            await Error(context, 400, "invalid_client", "Invalid client");
            return;
        }

        switch (form["grant_type"].ToString())
        {
            case "authorization_code":
                var code = form["code"].ToString();
                if (!spotify.PendingCodes.TryRemove(code, out var pending) || pending.ExpiresAt <= state.Time.GetUtcNow())
                {
                    await Error(context, 400, "invalid_grant", "Invalid authorization code");
                    return;
                }

                if (pending.RedirectUri != form["redirect_uri"] || pending.ClientId != clientId)
                {
                    await Error(context, 400, "invalid_grant", "Invalid redirect URI");
                    return;
                }

                if (Challenge(form["code_verifier"].ToString()) != pending.CodeChallenge)
                {
                    await Error(context, 400, "invalid_grant", "code_verifier was incorrect");
                    return;
                }

                await Issue(context, state, new RefreshGrant(clientId, pending.Scope, pending.UserId));
                return;
            case "refresh_token":
                // Single use: PKCE refresh tokens rotate.
                if (!spotify.RefreshTokens.TryRemove(form["refresh_token"].ToString(), out var grant) || grant.ClientId != clientId)
                {
                    await Error(context, 400, "invalid_grant", "Invalid refresh token");
                    return;
                }

                await Issue(context, state, grant);
                return;
            default:
                await Error(context, 400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
                return;
        }
    }

    private static Task Issue(HttpContext context, EmulatorState state, RefreshGrant grant)
    {
        var spotify = state.Spotify;
        var lifetime = spotify.Accounts.AccessTokenLifetime;
        var accessToken = RandomToken(64);
        var refreshToken = RandomToken(64);
        spotify.AddToken(accessToken, grant.UserId, expiresAt: state.Time.GetUtcNow() + lifetime);
        spotify.RefreshTokens[refreshToken] = grant;
        context.Response.Headers.CacheControl = "no-store";
        return EmulatorJson.WriteNode(context, 200, new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["scope"] = grant.Scope,
            ["expires_in"] = (int)lifetime.TotalSeconds,
            ["refresh_token"] = refreshToken,
        });
    }

    /// <summary>HTTPS, or http on a loopback IP literal; "localhost" is refused since November 2025.</summary>
    internal static bool IsAllowedRedirect(string redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
        {
            return false;
        }

        return uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme == Uri.UriSchemeHttp && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>base64url(SHA-256(verifier)) without padding (RFC 7636 S256).</summary>
    internal static string Challenge(string verifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string RandomToken(int bytes) =>
        Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    private static Task Error(HttpContext context, int status, string error, string description) =>
        EmulatorJson.WriteNode(context, status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = description,
        });
}
