using System.Text.Json;

namespace TrackGrains.WebGateway.Rendering;

/// <summary>An <see cref="IResult"/> that streams JSON written by hand, so Spotify objects pass through untouched.</summary>
public sealed class JsonWriterResult(Action<Utf8JsonWriter> write, int statusCode = StatusCodes.Status200OK) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        write(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
