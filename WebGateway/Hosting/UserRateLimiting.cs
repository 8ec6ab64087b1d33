using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Hosting;

/// <summary>
/// Access:UserRequestsPerSecond through ASP.NET Core's rate limiter: a token bucket per Spotify user
/// (bursts of twice the rate), so one user's flood never slows another. The admin and anonymous
/// requests (health, pages, failed sign-ins, which have their own throttle) have no partition here.
/// </summary>
public static class UserRateLimiting
{
    public static IServiceCollection AddUserRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccessOptions>>((limiter, access) =>
        {
            var perSecond = access.Value.UserRequestsPerSecond;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                CurrentUser.SpotifyUserId(context.User) is { } userId && perSecond > 0
                    ? RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = 2 * perSecond,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Problems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"More than {perSecond} requests per second (bursts of {2 * perSecond}) from this Spotify user (Access:UserRequestsPerSecond). " +
                    $"Slow down and retry after {seconds} s."));
            };
        });
        return services;
    }
}
