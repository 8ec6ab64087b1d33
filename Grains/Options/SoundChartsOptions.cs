using System.ComponentModel.DataAnnotations;

namespace TrackGrains.Grains.Options;

public sealed class SoundChartsOptions
{
    public const string Section = "SoundCharts";

    [Required, Url]
    public string BaseUrl { get; set; } = "https://customer.api.soundcharts.com";

    /// <summary>Keys imported at start-up, idempotently.</summary>
    public List<SoundChartsKeyOptions> Keys { get; set; } = [];

    /// <summary>How long one HTTP call may take before it counts as a transient fault.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra tries inside one attempt for transient faults (5xx, timeouts, broken bodies).</summary>
    [Range(0, 10)]
    public int TransientRetries { get; set; } = 2;

    /// <summary>First back-off of the in-attempt retry; it grows exponentially with jitter.</summary>
    public TimeSpan TransientRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a fetch waits for a permit (busy or briefly resting keys) before the track waits in the queue.</summary>
    public TimeSpan MaxPermitWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap on concurrent calls per key when the server sends no quota header to account against.</summary>
    [Range(1, 1000)]
    public int MaxInFlightPerKey { get; set; } = 16;

    /// <summary>
    /// How often a key deactivated for spent quota is checked again through the free usage endpoint; plans renew
    /// monthly, and the key comes back by itself when they do.
    /// </summary>
    public TimeSpan QuotaRecheckInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Rest applied after a rate-limit 429 that carried no usable x-ratelimit-reset.</summary>
    public TimeSpan DefaultRateLimitRest { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a key's permit counts when its caller never returns it: one try's timeout and a margin for the return trip.</summary>
    public TimeSpan PermitLease => RequestTimeout + TimeSpan.FromSeconds(15);

    /// <summary>
    /// The longest a single track request can take in the grains: waiting for a permit, then every try of
    /// one attempt with its timeout and back-off. A gateway in client mode waits this long (plus a margin)
    /// for a grain call, since an Orleans client is not told when the silo running its call dies.
    /// </summary>
    public TimeSpan LongestTrackRequest =>
        MaxPermitWait + (RequestTimeout + TransientRetryDelay * 4) * (TransientRetries + 1);
}

public sealed class SoundChartsKeyOptions
{
    public string AppId { get; set; } = "";
    public string ApiKey { get; set; } = "";
}
