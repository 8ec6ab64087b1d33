using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.WebGateway.Auth;

/// <summary>
/// Answers "which Spotify user holds this token" through Spotify's /v1/me, remembering the answer
/// for a few minutes under a hash of the token (the token itself is kept nowhere). The cache is its
/// own and bounded (Access:TokenCacheEntries), so a flood of distinct tokens cannot grow memory.
/// </summary>
public sealed class SpotifyUserResolver(SpotifyApiClient spotify, IOptions<AccessOptions> access) : IDisposable
{
    private static readonly TimeSpan RejectionCacheDuration = TimeSpan.FromSeconds(30);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = access.Value.TokenCacheEntries });

    /// <summary>The remembered answer for this token, if any: no call to Spotify.</summary>
    public SpotifyUserResolution? Cached(string token) =>
        cache.TryGetValue(CacheKey(token), out SpotifyUserResolution? cached) ? cached : null;

    public async Task<SpotifyUserResolution> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(token);
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
            Remember(cacheKey, resolution, access.Value.TokenCacheDuration);
        }
        catch (SpotifyApiException ex) when (ex.TokenRejected)
        {
            resolution = SpotifyUserResolution.Denied("Spotify did not accept this access token (expired or invalid); sign in with Spotify again.", forbidden: false);
            Remember(cacheKey, resolution, RejectionCacheDuration);
        }
        catch (SpotifyApiException ex) when (ex.Status == 403)
        {
            // A Development Mode app answers 403 for a user who is not on the app's own user list.
            resolution = SpotifyUserResolution.Denied(
                "Spotify refused this account for the server's Spotify app (403: " + ex.SpotifyMessage + "). A Spotify app in " +
                "Development Mode serves only the users its owner added under 'User Management' in the Spotify developer dashboard: " +
                "ask the operator to add your Spotify account there.", forbidden: true);
            Remember(cacheKey, resolution, RejectionCacheDuration);
        }
        catch (SpotifyApiException ex)
        {
            // Not cached, and not a 401: Spotify being unreachable says nothing about the token.
            resolution = SpotifyUserResolution.Unreachable($"Could not verify the token with Spotify ({ex.Status}: {ex.SpotifyMessage}); try again shortly.");
        }
        return resolution;
    }

    private static string CacheKey(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private void Remember(string cacheKey, SpotifyUserResolution resolution, TimeSpan duration) =>
        cache.Set(cacheKey, resolution, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });

    public void Dispose() => cache.Dispose();
}

/// <param name="SpotifyUnavailable">Spotify could not be asked: the token may be fine, so the answer is a 503, not a 401.</param>
public sealed record SpotifyUserResolution(SpotifyUser? User, string? Problem, bool Forbidden, bool SpotifyUnavailable = false)
{
    public static SpotifyUserResolution Allowed(SpotifyUser user) => new(user, null, false);

    public static SpotifyUserResolution Denied(string problem, bool forbidden) => new(null, problem, forbidden);

    public static SpotifyUserResolution Unreachable(string problem) => new(null, problem, false, SpotifyUnavailable: true);
}
