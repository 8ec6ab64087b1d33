namespace TrackGrains.WebGateway.Hosting;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// When true, GET /metrics needs the admin token (Prometheus: <c>authorization: { credentials: &lt;Admin:Token&gt; }</c>
    /// in the scrape config). Off by default: the server listens on loopback only, and the metrics
    /// carry counts and key ids (hashes), never a secret. Turn it on when binding beyond loopback.
    /// </summary>
    public bool RequireAdmin { get; set; }
}
