using TrackGrains.Grains.Usage;

namespace TrackGrains.WebGateway.Http;

/// <summary>
/// Counts every API request (paths under /api and /v1) with its time until the response starts.
/// It counts in <see cref="OnStarting"/>, before the first byte leaves, so a client that has its
/// answer can rely on the request being counted; the count itself is an in-memory add, never a
/// grain call or a database write.
/// </summary>
public sealed class UsageCountingMiddleware(RequestDelegate next, UsageCounters counters, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/v1"))
        {
            var started = time.GetTimestamp();
            context.Response.OnStarting(OnStarting, (counters, time, started));
        }
        return next(context);
    }

    private static Task OnStarting(object state)
    {
        var (counters, time, started) = ((UsageCounters, TimeProvider, long))state;
        counters.Request(time.GetElapsedTime(started));
        return Task.CompletedTask;
    }
}
