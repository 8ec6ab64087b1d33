namespace TrackGrains.WebGateway.Http;

public static class RetryAfter
{
    /// <summary>Whole seconds until <paramref name="at"/>, rounded up and at least 1, for a Retry-After header.</summary>
    public static int SecondsUntil(DateTimeOffset at, TimeProvider time) =>
        Math.Max(1, (int)Math.Ceiling((at - time.GetUtcNow()).TotalSeconds));
}

/// <summary>Any result, with a Retry-After header.</summary>
public sealed class RetryAfterResult(int seconds, IResult inner) : IResult
{
    public int Seconds => seconds;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
