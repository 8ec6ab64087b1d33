using TrackGrains.Grains.Fetching;
using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.Grains.Tracks;

/// <summary>
/// The enrichment state machine, free of Orleans and I/O so it can be tested with fake time.
/// <c>delays[n]</c> is the wait before attempt n+1; attempt 1 is inline, so delays[0] is normally zero.
/// </summary>
public static class TrackTransitions
{
    /// <summary>Whether a trigger should make an attempt now.</summary>
    public static bool ShouldAttempt(TrackState state, RetryTrigger trigger, DateTimeOffset now)
    {
        var due = state.NextRetryAt is not { } at || at <= now;
        return (state.Status, trigger) switch
        {
            (EnrichmentStatus.Enriched, _) => false,
            (EnrichmentStatus.Pending, _) => true,
            (EnrichmentStatus.Retrying, RetryTrigger.Operator or RetryTrigger.OperatorIncludingGone) => true,
            (EnrichmentStatus.Retrying, _) => due,
            // A 410 is final: asking again pays again for the same refusal, unless the operator insists.
            (EnrichmentStatus.Failed, RetryTrigger.Operator) => state.LastHttpStatus != 410,
            (EnrichmentStatus.Failed, RetryTrigger.OperatorIncludingGone) => true,
            (EnrichmentStatus.NotFound, RetryTrigger.Scheduled) => !state.NotFoundRechecked && due,
            _ => false,
        };
    }

    /// <summary>Whether a plain read should make the inline first attempt (or the due 404 re-check).</summary>
    public static bool ShouldAttemptOnRead(TrackState state, DateTimeOffset now) =>
        state.Status == EnrichmentStatus.Pending
        || (state.Status == EnrichmentStatus.NotFound && !state.NotFoundRechecked && state.NextRetryAt is { } at && at <= now);

    /// <summary>Applies an attempt's outcome to the state.</summary>
    public static void Apply(TrackState state, FetchOutcome outcome, RetryTrigger trigger, IReadOnlyList<TimeSpan> delays,
        TimeSpan notFoundRecheck, DateTimeOffset now)
    {
        if (outcome.Kind == FetchKind.NoKey)
        {
            // Not the track's fault: no attempt is counted, and a track mid-schedule keeps its schedule.
            if (state.Status is EnrichmentStatus.Pending)
            {
                state.WaitingForKey = true;
                state.LastError = outcome.Error;
                state.LastErrorCode = outcome.ErrorCode;
                state.NextRetryAt = outcome.RetryAt;
            }
            else if (state.Status is EnrichmentStatus.Retrying)
            {
                state.WaitingForKey = true;
                state.NextRetryAt = outcome.RetryAt ?? now + delays.ElementAtOrDefault(Math.Max(1, state.Attempts));
            }
            return;
        }

        state.TotalAttempts++;
        state.LastAttemptAt = now;
        state.WaitingForKey = false;
        switch (outcome.Kind)
        {
            case FetchKind.Success:
                state.Status = EnrichmentStatus.Enriched;
                state.FetchedAt = now;
                state.NextRetryAt = null;
                state.LastError = null;
                state.LastErrorCode = null;
                state.LastHttpStatus = 200;
                break;

            case FetchKind.NotFound:
                var recheck = state.Status == EnrichmentStatus.NotFound || state.NotFoundSince is not null;
                state.Status = EnrichmentStatus.NotFound;
                state.NotFoundSince ??= now;
                state.NotFoundRechecked = recheck;
                state.NextRetryAt = recheck ? null : now + notFoundRecheck;
                state.LastError = outcome.Error;
                state.LastErrorCode = outcome.ErrorCode;
                state.LastHttpStatus = 404;
                break;

            case FetchKind.Gone:
                state.Status = EnrichmentStatus.Failed;
                state.NextRetryAt = null;
                state.LastError = outcome.Error;
                state.LastErrorCode = outcome.ErrorCode;
                state.LastHttpStatus = 410;
                break;

            default:
                state.Attempts++;
                state.LastError = outcome.Error;
                state.LastErrorCode = outcome.ErrorCode;
                state.LastHttpStatus = outcome.HttpStatus;
                var operatorRetryOfFailed = (trigger is RetryTrigger.Operator or RetryTrigger.OperatorIncludingGone) && state.Status == EnrichmentStatus.Failed;
                if (!operatorRetryOfFailed && state.Attempts < delays.Count)
                {
                    state.Status = EnrichmentStatus.Retrying;
                    state.NextRetryAt = now + delays[state.Attempts];
                }
                else
                {
                    state.Status = EnrichmentStatus.Failed;
                    state.NextRetryAt = null;
                }
                break;
        }
    }

    /// <summary>The status string of the API and the read model.</summary>
    public static string StatusName(EnrichmentStatus status) => status switch
    {
        EnrichmentStatus.Pending => "pending",
        EnrichmentStatus.Enriched => "enriched",
        EnrichmentStatus.Retrying => "retrying",
        EnrichmentStatus.NotFound => "notFound",
        _ => "failed",
    };
}
