using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.WebGateway.Auth;

/// <summary>
/// Answers "which Spotify user holds this token" through Spotify's /v1/me, remembering the answer
/// for a few minutes under a hash of the token (the token itself is kept nowhere).
/// </summary>
public sealed class SpotifyUserResolver(SpotifyApiClient spotify, IMemoryCache cache, IOptions<AccessOptions> access)
{
    private static readonly TimeSpan RejectionCacheDuration = TimeSpan.FromSeconds(30);

    public async Task<SpotifyUserResolution> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        var cacheKey = "spotify-token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (cache.TryGetValue(cacheKey, out SpotifyUserResolution? cached) && cached is not null)
        {
            return cached;
        }

        SpotifyUserResolution resolution;
        try
        {
            var user = await spotify.GetMeAsync(token, cancellationToken);
            var allowed = access.Value.AllowedSpotifyUsers;
            resolution = allowed.Count == 0 || allowed.Contains(user.Id, StringComparer.Ordinal)
                || (user.AccountId is not null && allowed.Contains(user.AccountId, StringComparer.Ordinal))
                ? SpotifyUserResolution.Allowed(user)
                : SpotifyUserResolution.Denied($"Spotify user '{user.Id}' is not in Access:AllowedSpotifyUsers.", forbidden: true);
            cache.Set(cacheKey, resolution, access.Value.TokenCacheDuration);
        }
        catch (SpotifyApiException ex) when (ex.TokenRejected)
        {
            resolution = SpotifyUserResolution.Denied("Spotify did not accept this access token (expired or invalid); sign in with Spotify again.", forbidden: false);
            cache.Set(cacheKey, resolution, RejectionCacheDuration);
        }
        catch (SpotifyApiException ex)
        {
            // Not cached, and not a 401: Spotify being unreachable says nothing about the token.
            resolution = SpotifyUserResolution.Unreachable($"Could not verify the token with Spotify ({ex.Status}: {ex.SpotifyMessage}); try again shortly.");
        }
        return resolution;
    }
}

/// <param name="SpotifyUnavailable">Spotify could not be asked: the token may be fine, so the answer is a 503, not a 401.</param>
public sealed record SpotifyUserResolution(SpotifyUser? User, string? Problem, bool Forbidden, bool SpotifyUnavailable = false)
{
    public static SpotifyUserResolution Allowed(SpotifyUser user) => new(user, null, false);

    public static SpotifyUserResolution Denied(string problem, bool forbidden) => new(null, problem, forbidden);

    public static SpotifyUserResolution Unreachable(string problem) => new(null, problem, false, SpotifyUnavailable: true);
}
