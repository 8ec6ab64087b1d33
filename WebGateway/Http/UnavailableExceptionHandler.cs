using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace TrackGrains.WebGateway.Http;

/// <summary>
/// Maps failures of the server's own dependencies (a grain call timing out, the database busy past
/// its timeout, the silo going away) to a 503 the client can retry, instead of a bare 500. The request
/// itself was fine, and nothing was lost: grain state is only changed by completed writes.
/// </summary>
public sealed partial class UnavailableExceptionHandler(ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (TimeoutException or DbException or OrleansException or OperationCanceledException))
        {
            return false;
        }
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }
        LogUnavailable(logger, exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = "5";
        await Problems.Write(httpContext, StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable",
            "The server is busy or restarting (a storage or cluster call did not finish in time). Nothing was lost; retry in a few seconds.");
        return true;
    }

    [LoggerMessage(5101, LogLevel.Warning, "{ExceptionType} while serving {Method} {Path}; answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType, string method, string path);
}
