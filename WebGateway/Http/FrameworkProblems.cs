namespace TrackGrains.WebGateway.Http;

/// <summary>
/// Problems the framework writes itself (no route, wrong method, wrong content type) come without a
/// detail; this says what to fix, as our own problems do.
/// </summary>
public static class FrameworkProblems
{
    public const string UnauthorizedDetail = "This endpoint needs 'Authorization: Bearer <token>': a Spotify access token, or the admin token.";

    public const string ForbiddenDetail = "This endpoint is for the administrator: send 'Authorization: Bearer <Admin:Token>'.";

    public static void AddDetail(ProblemDetailsContext context)
    {
        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        if (context.ProblemDetails.Detail is not null)
        {
            return;
        }
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"There is no endpoint at {request.Method} {request.Path}; the API reference is at /docs.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}; the API reference at /docs lists its methods.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
            StatusCodes.Status400BadRequest => "The request could not be read; check its body and parameters against /docs.",
            StatusCodes.Status413PayloadTooLarge => $"The request body is too large (at most {JsonBody.MaxBytes / 1024} KiB).",
            StatusCodes.Status401Unauthorized => UnauthorizedDetail,
            StatusCodes.Status403Forbidden => ForbiddenDetail,
            >= 500 => "The server failed to answer this request; it has been logged. Try again, and report it if it persists.",
            _ => context.ProblemDetails.Title,
        };
    }
}
