using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace TrackGrains.WebGateway.Auth;

/// <summary>
/// Counts invalid bearer tokens per client address (a fixed one-minute window): past
/// Access:FailedSignInsPerMinute, that address's next tokens are refused with 429 before Spotify
/// is asked, so guessing tokens costs the guesser, not Spotify's rate limit for everyone.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public SignInThrottle(IOptions<AccessOptions> access)
    {
        var perMinute = access.Value.FailedSignInsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address => perMinute <= 0
            ? RateLimitPartition.GetNoLimiter(address)
            : RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();

    /// <summary>When this address has used up its failures: how long until it may try again.</summary>
    public TimeSpan? Blocked(string address)
    {
        // Asking for zero permits reports the state without using any.
        using var lease = _failures.AttemptAcquire(address, 0);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    public void RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address, 1);
    }

    public void Dispose() => _failures.Dispose();
}
