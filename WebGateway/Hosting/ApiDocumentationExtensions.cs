using Scalar.AspNetCore;

namespace TrackGrains.WebGateway.Hosting;

public static class ApiDocumentationExtensions
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/docs";

    /// <summary>The OpenAPI document of every endpoint, with the bearer scheme.</summary>
    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "TrackGrains";
                document.Info.Description =
                    "A persistent, enriched copy of a Spotify library: Spotify track metadata plus SoundCharts audio features, " +
                    "fetched once and served from storage. /v1/audio-features is a drop-in replacement for Spotify's retired endpoints. " +
                    "Every error is application/problem+json (RFC 9457) with a detail that says what to do.";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<BearerSecurityTransformer>();
        });
        return builder;
    }

    /// <summary>GET /openapi/v1.json and the interactive reference at GET /docs; both anonymous (they hold no data).</summary>
    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("TrackGrains API")
            .AddPreferredSecuritySchemes(BearerSecurityTransformer.SchemeName));
        return app;
    }
}
