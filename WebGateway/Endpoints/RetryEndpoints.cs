using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.Retries;
using TrackGrains.WebGateway.Auth;

namespace TrackGrains.WebGateway.Endpoints;

public static class RetryEndpoints
{
    public static IEndpointRouteBuilder MapRetries(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/retry-failed", RetryFailed)
            .RequireAuthorization(AuthNames.AdminPolicy)
            .WithTags("Admin")
            .WithSummary("Retries every track in 'retrying' or 'failed' now.")
            .Produces<RetryFailedResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<IResult> RetryFailed(TrackStore tracks, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var ids = await tracks.FailureIdsAsync("retrying", "failed");
        var succeeded = await TrackRetries.RetryAsync(grains, ids, RetryTrigger.Operator, cancellationToken: cancellationToken);
        return TypedResults.Ok(new RetryFailedResponse(ids.Count, succeeded, ids.Count - succeeded));
    }
}

public sealed record RetryFailedResponse(int Processed, int Succeeded, int Failed);
