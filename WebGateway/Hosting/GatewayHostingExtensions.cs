using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
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
        services.AddProblemDetails(o => o.CustomizeProblemDetails = FrameworkProblems.AddDetail);
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        services.AddMemoryCache();
        services.AddSingleton<JsonSerializerOptionsProvider>();

        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section)
            .Validate(o => o.TokenCacheDuration > TimeSpan.Zero, "Access:TokenCacheDuration must be a positive time span, e.g. 00:05:00.")
            .ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddSingleton(sp =>
        {
            // The token lives in the data folder, beside the data it guards (a SQLite file's own folder).
            var dataFolder = sp.GetRequiredService<TrackStorage>().DataFolder;
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("TrackGrains.Admin");
            return AdminToken.Resolve(sp.GetRequiredService<IOptions<AdminOptions>>().Value.Token, dataFolder,
                message => GatewayLog.AdminTokenGenerated(log, message));
        });
        services.AddSingleton<SpotifyUserResolver>();

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
