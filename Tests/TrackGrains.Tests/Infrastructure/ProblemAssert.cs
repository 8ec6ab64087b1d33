using System.Net;
using System.Text.Json;

namespace TrackGrains.Tests.Infrastructure;

public static class ProblemAssert
{
    /// <summary>
    /// The response is an RFC 9457 problem (application/problem+json) with the expected status, a matching
    /// status field, and a detail that contains <paramref name="detailContains"/>. Disposes the response.
    /// </summary>
    public static async Task IsProblemAsync(HttpResponseMessage response, HttpStatusCode? status, string detailContains,
        StringComparison comparison = StringComparison.Ordinal)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (status is { } expected)
            {
                Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            }
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
            Assert.True(problem.TryGetProperty("detail", out var detail), body);
            Assert.Contains(detailContains, detail.GetString()!, comparison);
        }
    }
}
