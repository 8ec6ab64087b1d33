using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TrackGrains.Silo.Storage;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Endpoints;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Hosting;

public static class GatewayHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The HTTP side: auth (admin token, Spotify users), problem details, health checks.</summary>
    public static WebApplicationBuilder AddTrackGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            // Loopback only unless told otherwise; also a redirect URI Spotify accepts (http://127.0.0.1:5080/callback).
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // Refused here, before anything listens: the operator must open the server to every Spotify account on purpose.
        var access = builder.Configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();
        if (OpenAccessGuard.Check(builder.Configuration, access) is { } open)
        {
            throw new OptionsValidationException(AccessOptions.Section, typeof(AccessOptions), [open]);
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = FrameworkProblems.AddDetail);
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        services.AddMemoryCache();
        services.AddSingleton<JsonSerializerOptionsProvider>();

        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section)
            .Validate(o => o.TokenCacheDuration > TimeSpan.Zero, "Access:TokenCacheDuration must be a positive time span, e.g. 00:05:00.")
            .Validate(o => o.TokenCacheEntries > 0, "Access:TokenCacheEntries must be a positive number of remembered tokens, e.g. 10000.")
            .Validate(o => o.UserRequestsPerSecond >= 0, "Access:UserRequestsPerSecond must be 0 (no limit) or a positive number of requests per second.")
            .Validate(o => o.FailedSignInsPerMinute >= 0, "Access:FailedSignInsPerMinute must be 0 (no limit) or a positive number.")
            .ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section)
            .Validate(o => o.SessionLifetime > TimeSpan.Zero, "Admin:SessionLifetime must be a positive time span, e.g. 12:00:00.")
            .ValidateOnStart();
        services.AddSingleton<AdminSessions>();
        services.AddSingleton<SignInThrottle>();
        services.AddUserRateLimiting();
        services.AddSingleton(sp =>
        {
            // The token lives in the data folder, beside the data it guards (a SQLite file's own folder).
            var dataFolder = sp.GetRequiredService<TrackStorage>().DataFolder;
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("TrackGrains.Admin");
            return AdminToken.Resolve(sp.GetRequiredService<IOptions<AdminOptions>>().Value.Token, dataFolder,
                message => GatewayLog.AdminTokenGenerated(log, message));
        });
        services.AddSingleton<SpotifyUserResolver>();
        services.AddHostedService<RecommendationWarmUp>();

        services.AddAuthentication(AuthNames.Scheme)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(AuthNames.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthNames.UserPolicy, p => p.RequireRole(AuthNames.UserRole))
            .AddPolicy(AuthNames.AdminPolicy, p => p.RequireRole(AuthNames.AdminRole));

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpoints.ReadyTag]);

        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.AddTrackObservability();
        builder.AddApiDocumentation();
        return builder;
    }

    public static WebApplication MapTrackGateway(this WebApplication app)
    {
        app.UseUsageCounting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        // Make the admin token exist (and its location be announced) at start-up, not at the first request.
        app.Services.GetRequiredService<AdminToken>();

        app.MapHealth();
        app.MapTracks();
        app.MapKeys();
        app.MapRetries();
        app.MapStats();
        app.MapAudioFeatures();
        app.MapTrackObservability();
        app.MapSync();
        app.MapLibrary();
        app.MapRecommendations();
        app.MapBackups();
        app.MapApiDocumentation();
        return app;
    }
}

internal static partial class GatewayLog
{
    [LoggerMessage(5001, LogLevel.Warning, "{Message}")]
    public static partial void AdminTokenGenerated(ILogger logger, string message);
}
