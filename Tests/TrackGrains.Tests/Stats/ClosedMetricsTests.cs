using System.Net;

namespace TrackGrains.Tests.Stats;

public sealed class ClosedMetricsTests(ClosedMetricsServer server) : IClassFixture<ClosedMetricsServer>
{
    [Fact]
    public async Task With_RequireAdmin_metrics_need_the_admin_token()
    {
        using var anonymous = await server.Anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        using var user = await server.User.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);

        using var admin = await server.Admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}
