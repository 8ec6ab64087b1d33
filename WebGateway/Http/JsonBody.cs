using System.Text.Json;

namespace TrackGrains.WebGateway.Http;

/// <summary>
/// Reads a JSON request body with explicit, actionable errors (415, 413, 400) instead of the framework's
/// generic binding failures, so no malformed request can turn into a 500.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        if (request.ContentType is null || !request.ContentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                return (null, TooLarge());
            }
        }
        if (buffer.Length == 0)
        {
            return (null, Problems.BadRequest("The request body is empty; send a JSON object."));
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
            return value is null
                ? (null, Problems.BadRequest("The request body is JSON null; send a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, Problems.BadRequest($"The request body is not valid JSON for this endpoint{where}: {ex.Message.Split(" Path:")[0]}"));
        }
    }

    private static IResult TooLarge() => Problems.Create(StatusCodes.Status413PayloadTooLarge, "Request body too large",
        $"The request body may be at most {MaxBytes / 1024} KiB.");
}
