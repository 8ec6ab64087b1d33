using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.Retries;
using TrackGrains.WebGateway.Auth;
using TrackGrains.WebGateway.Http;

namespace TrackGrains.WebGateway.Endpoints;

public static class RetryEndpoints
{
    public static IEndpointRouteBuilder MapRetries(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/retry-failed", RetryFailed)
            .RequireAuthorization(AuthNames.AdminPolicy)
            .WithTags("Admin")
            .WithSummary("Retries every track in 'retrying' or 'failed' now; tracks SoundCharts refused with a final 410 only with ?includeGone=true.")
            .Produces<RetryFailedResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<IResult> RetryFailed(HttpRequest request, TrackStore tracks, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (includeGone, problem) = QueryValues.Flag(request.Query, "includeGone");
        if (problem is not null)
        {
            return problem;
        }
        var candidates = await tracks.OperatorRetryCandidatesAsync();
        var ids = candidates.Where(c => includeGone || !c.Gone).Select(c => c.SpotifyId).ToList();
        var trigger = includeGone ? RetryTrigger.OperatorIncludingGone : RetryTrigger.Operator;
        var succeeded = await TrackRetries.RetryAsync(grains, ids, trigger, cancellationToken: cancellationToken);
        return TypedResults.Ok(new RetryFailedResponse(ids.Count, succeeded, ids.Count - succeeded, candidates.Count - ids.Count));
    }
}

/// <param name="SkippedGone">Tracks left alone because SoundCharts refused them with a final 410 (retry them with ?includeGone=true).</param>
public sealed record RetryFailedResponse(int Processed, int Succeeded, int Failed, int SkippedGone);
