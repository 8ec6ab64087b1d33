using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using TrackGrains.Grains.Usage;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Hosting;

public static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// OpenTelemetry metrics for Prometheus: our meter (requests, cache hits, SoundCharts calls by outcome,
    /// quota per key, retry queue depth), Orleans' meters, ASP.NET Core, HttpClient and the runtime.
    /// </summary>
    public static WebApplicationBuilder AddTrackObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("trackgrains"))
            .WithMetrics(metrics => metrics
                .AddMeter(TrackGrainsMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // No response cache: two scrapes in a row must see the counters as they are.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>Counts API requests for usage_stats; goes first so that refused and failed requests count too.</summary>
    public static IApplicationBuilder UseUsageCounting(this IApplicationBuilder app) =>
        app.UseMiddleware<UsageCountingMiddleware>();

    /// <summary>GET /metrics in Prometheus' text format; anonymous unless Metrics:RequireAdmin (see <see cref="MetricsOptions"/>).</summary>
    public static WebApplication MapTrackObservability(this WebApplication app)
    {
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        if (app.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.RequireAdmin == true)
        {
            endpoint.RequireAuthorization(AuthNames.AdminPolicy);
        }
        return app;
    }
}
