using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

public sealed partial class ApiDocumentationTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task OpenApi_document_lists_every_api_and_v1_endpoint_with_responses_and_security()
    {
        using var response = await server.Anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var paths = root.GetProperty("paths");

        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api/", StringComparison.Ordinal) || raw.StartsWith("/v1/", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var path = RouteConstraint().Replace(endpoint.RoutePattern.RawText!, "{$1}").TrimEnd('/');
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is missing");
                var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
                Assert.Contains(responses, r => r.StartsWith('2'));
                if (endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0)
                {
                    Assert.Contains("401", responses);
                    Assert.Contains(operation.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("Bearer", out _));
                }
            }
        }

        foreach (var expected in new[] { "/api/stats", "/v1/audio-features", "/v1/audio-features/{id}", "/api/tracks/{id}", "/api/keys/list" })
        {
            Assert.True(paths.TryGetProperty(expected, out _), $"{expected} is missing");
        }
        var many = paths.GetProperty("/v1/audio-features").GetProperty("get").GetProperty("responses");
        Assert.True(many.TryGetProperty("400", out _));
    }

    [Fact]
    public async Task Interactive_reference_is_served_at_docs()
    {
        using var response = await server.Anonymous.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        Assert.Contains("scalar.js", html);

        // The page's script is served next to it (bundled, no CDN).
        using var script = await server.Anonymous.GetAsync(new Uri(response.RequestMessage!.RequestUri!, "scalar.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [GeneratedRegex(@"\{([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteConstraint();
}
