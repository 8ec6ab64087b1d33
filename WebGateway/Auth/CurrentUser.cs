using System.Security.Claims;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Auth;

/// <summary>The Spotify user behind a request, for the endpoints that work on one user's library.</summary>
public static class CurrentUser
{
    /// <summary>The Spotify user id; null for the admin token, which has no Spotify account.</summary>
    public static string? SpotifyUserId(ClaimsPrincipal user) => user.FindFirst(AuthNames.SpotifyUserIdClaim)?.Value;

    /// <summary>The bearer token of the request: for a Spotify user, their Spotify access token.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header["Bearer ".Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }

    public static IResult SpotifyUserRequired(string what) => Problems.BadRequest(
        $"{what} works on one Spotify user's library, and the admin token has none: call it with " +
        "'Authorization: Bearer <Spotify access token>' of the user whose library it is.");
}
