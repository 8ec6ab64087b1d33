using Microsoft.Extensions.DependencyInjection;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Grains.Usage;

public static class UsageServiceCollectionExtensions
{
    /// <summary>Usage counting (in memory per silo), its periodic flush to usage_stats, and our metrics instruments.</summary>
    public static IServiceCollection AddTrackUsage(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.Section)
            .Validate(o => o.FlushInterval > TimeSpan.Zero, "Usage:FlushInterval must be a positive time span, e.g. 00:00:05.")
            .ValidateOnStart();
        services.AddSingleton<TrackGrainsMetrics>();
        services.AddSingleton<UsageCounters>();
        services.AddSingleton<StatsStore>();
        services.AddSingleton<UsageFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageFlushService>());
        return services;
    }
}
