using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Fetching;
using TrackGrains.Grains.Keys;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.Recommendations;
using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Spotify;
using TrackGrains.Grains.Usage;

namespace TrackGrains.Grains.Hosting;

public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Everything the grains need besides Orleans itself: options (validated at start-up), the
    /// SoundCharts client, this silo's key directory and fetcher, and the read-model stores.
    /// The caller registers the <see cref="System.Data.Common.DbDataSource"/> of the database.
    /// </summary>
    public static IServiceCollection AddTrackGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<SoundChartsOptions>().BindConfiguration(SoundChartsOptions.Section)
            .Validate(o => IsHttpUrl(o.BaseUrl), "SoundCharts:BaseUrl must be an absolute http(s) URL, e.g. https://customer.api.soundcharts.com.")
            .Validate(o => o.TransientRetries is >= 0 and <= 10, "SoundCharts:TransientRetries must be between 0 and 10.")
            .Validate(o => o.MaxInFlightPerKey is >= 1 and <= 1000, "SoundCharts:MaxInFlightPerKey must be between 1 and 1000.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "SoundCharts:RequestTimeout must be a positive time span, e.g. 00:00:10.")
            .Validate(o => o.QuotaRecheckInterval > TimeSpan.Zero, "SoundCharts:QuotaRecheckInterval must be a positive time span, e.g. 06:00:00.")
            .Validate(o => o.Keys.All(k => !string.IsNullOrWhiteSpace(k.AppId) && !string.IsNullOrWhiteSpace(k.ApiKey)),
                "Every SoundCharts:Keys:N entry needs both AppId and ApiKey.")
            .ValidateOnStart();
        services.AddOptions<RetryOptions>().BindConfiguration(RetryOptions.Section)
            .Validate(o => RetryOptions.ParseDelays(o.Delays) is { Count: > 0 },
                "Retry:Delays must be a comma-separated list of non-negative time spans, e.g. 00:00:00,01:00:00,1.00:00:00.")
            .Validate(o => o.NotFoundRecheck > TimeSpan.Zero, "Retry:NotFoundRecheck must be a positive time span, e.g. 1.00:00:00.")
            .Validate(o => o.ReminderPeriod > TimeSpan.Zero, "Retry:ReminderPeriod must be a positive time span, e.g. 00:01:00.")
            .Validate(o => o.KeyWaitSweepPeriod > TimeSpan.Zero, "Retry:KeyWaitSweepPeriod must be a positive time span, e.g. 00:01:00.")
            .ValidateOnStart();
        services.AddOptions<SpotifyOptions>().BindConfiguration(SpotifyOptions.Section)
            .Validate(o => IsHttpUrl(o.ApiBaseUrl), "Spotify:ApiBaseUrl must be an absolute http(s) URL, e.g. https://api.spotify.com.")
            .Validate(o => IsHttpUrl(o.AccountsBaseUrl), "Spotify:AccountsBaseUrl must be an absolute http(s) URL, e.g. https://accounts.spotify.com.")
            .ValidateOnStart();

        services.AddOptions<RecommendationOptions>().BindConfiguration(RecommendationOptions.Section)
            .Validate(o => o.RefreshInterval > TimeSpan.Zero, "Recommendations:RefreshInterval must be a positive time span, e.g. 00:00:05.")
            .ValidateOnStart();

        services.AddOptions<UserBudgetOptions>().BindConfiguration(UserBudgetOptions.Section)
            .Validate(o => o.UserDailySoundChartsCalls >= 0, "Access:UserDailySoundChartsCalls must be 0 (no limit) or a positive number of calls per user and UTC day.")
            .ValidateOnStart();

        services.AddHttpClient(SoundChartsClient.HttpClientName, (sp, http) =>
        {
            var baseUrl = sp.GetRequiredService<IOptions<SoundChartsOptions>>().Value.BaseUrl;
            http.BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/");
            // Our own per-call timeout applies (it knows the TimeProvider); this only guards against a stuck handler.
            http.Timeout = TimeSpan.FromMinutes(5);
        });

        services.AddHttpClient(SpotifyApiClient.HttpClientName, (sp, http) =>
        {
            var baseUrl = sp.GetRequiredService<IOptions<SpotifyOptions>>().Value.ApiBaseUrl;
            http.BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromMinutes(5);
        });

        services.AddSingleton<SoundChartsClient>();
        services.AddSingleton<SpotifyApiClient>();
        // Key secrets are stored encrypted; the silo host decides where the key ring lives (Secrets:KeyRingPath).
        services.AddDataProtection();
        services.AddSingleton<KeySecretProtector>();
        services.AddSingleton<KeyDirectory>();
        services.AddSingleton<SoundChartsFetcher>();
        services.AddSingleton<ReadModelDatabase>();
        services.AddSingleton<TrackStore>();
        services.AddSingleton<LibraryStore>();
        services.AddSingleton<LibraryReader>();
        services.AddSingleton<CatalogueChanges>();
        services.AddSingleton<CatalogueReader>();
        services.AddSingleton<CatalogueIndex>();
        services.AddHostedService<CatalogueRefresher>();
        services.AddSingleton<KeyStore>();
        services.AddSingleton<UserUsageStore>();
        services.AddTrackUsage();
        return services;
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
