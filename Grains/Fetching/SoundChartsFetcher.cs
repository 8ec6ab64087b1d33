using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Keys;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Usage;

namespace TrackGrains.Grains.Fetching;

/// <summary>
/// One enrichment attempt for one track: picks a key, holds a permit for each HTTP call, rotates
/// away from keys that are rate-limited or deactivated (not a failure of the track), and retries
/// transient faults briefly with Polly before the attempt counts as failed.
/// </summary>
public sealed class SoundChartsFetcher
{
    private readonly IGrainFactory _grains;
    private readonly KeyDirectory _directory;
    private readonly SoundChartsClient _client;
    private readonly TimeProvider _time;
    private readonly SoundChartsOptions _options;
    private readonly UsageCounters _usage;
    private readonly ILogger<SoundChartsFetcher> _logger;
    private readonly ResiliencePipeline<FetchOutcome> _transientRetry;

    public SoundChartsFetcher(IGrainFactory grains, KeyDirectory directory, SoundChartsClient client, TimeProvider time,
        IOptions<SoundChartsOptions> options, UsageCounters usage, ILogger<SoundChartsFetcher> logger)
    {
        _usage = usage;
        _grains = grains;
        _directory = directory;
        _client = client;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _transientRetry = new ResiliencePipelineBuilder<FetchOutcome> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<FetchOutcome>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Kind == FetchKind.Transient),
                MaxRetryAttempts = Math.Max(1, _options.TransientRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.TransientRetryDelay,
                OnRetry = args =>
                {
                    FetchLog.TransientRetry(_logger, (string)args.Context.Properties.GetValue(TrackKey, "?"), args.Outcome.Result?.Error);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private static readonly ResiliencePropertyKey<string> TrackKey = new("trackId");

    public async Task<FetchOutcome> FetchAsync(string spotifyId, CancellationToken cancellationToken = default)
    {
        if (_options.TransientRetries == 0)
        {
            return await CallOnceWithAnyKeyAsync(spotifyId, cancellationToken);
        }
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TrackKey, spotifyId);
        var calls = 0;
        try
        {
            var outcome = await _transientRetry.ExecuteAsync(async ctx =>
            {
                var result = await CallOnceWithAnyKeyAsync(spotifyId, ctx.CancellationToken);
                calls += result.UpstreamCalls;
                return result;
            }, context);
            return outcome with { UpstreamCalls = calls };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One HTTP call that reached a verdict, trying keys until one serves or none can.</summary>
    private async Task<FetchOutcome> CallOnceWithAnyKeyAsync(string spotifyId, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.MaxPermitWait;
        var calls = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (permit, keyId, noKey) = await AcquireAsync(deadline);
            if (permit is null)
            {
                FetchLog.NoKey(_logger, spotifyId, noKey.Error ?? "no key");
                return noKey with { UpstreamCalls = calls };
            }

            SoundChartsResponse response;
            try
            {
                response = await _client.GetSongAsync(spotifyId, permit.AppId!, permit.ApiKey!, cancellationToken);
            }
            catch
            {
                await CompleteAsync(keyId!, new PermitCompletion { PermitId = permit.PermitId, Outcome = CallOutcome.NotSent });
                throw;
            }
            calls++;
            _usage.UpstreamCall(response.Outcome);
            FetchLog.Called(_logger, spotifyId, keyId!, response.Outcome.ToString(), response.HttpStatus, (long)response.Elapsed.TotalMilliseconds);

            await CompleteAsync(keyId!, new PermitCompletion
            {
                PermitId = permit.PermitId,
                Outcome = response.Outcome,
                HttpStatus = response.HttpStatus,
                QuotaRemaining = response.Headers.QuotaRemaining,
                RateLimitLimit = response.Headers.RateLimitLimit,
                RateLimitRemaining = response.Headers.RateLimitRemaining,
                RateLimitResetSeconds = response.Headers.RateLimitResetSeconds,
                Message = response.Message,
                ResponseHeaders = response.Headers.Raw,
            });

            switch (response.Outcome)
            {
                case CallOutcome.Success:
                    return new FetchOutcome(FetchKind.Success, response.Body, response.Song, HttpStatus: 200, UpstreamCalls: calls);
                case CallOutcome.NotFound:
                    return new FetchOutcome(FetchKind.NotFound, Error: "SoundCharts does not know this song yet (404)", ErrorCode: "not_found", HttpStatus: 404, UpstreamCalls: calls);
                case CallOutcome.Gone:
                    return new FetchOutcome(FetchKind.Gone, Error: "SoundCharts refuses this track: ISRC blacklisted, several tracks matched (410)", ErrorCode: "gone", HttpStatus: 410, UpstreamCalls: calls);
                case CallOutcome.Transient:
                    return new FetchOutcome(FetchKind.Transient, Error: response.Message, ErrorCode: response.HttpStatus is { } s ? $"http_{s}" : "transport", HttpStatus: response.HttpStatus, UpstreamCalls: calls);
                default:
                    // Rate limit, quota, credentials or plan: the key's fault, not the track's. Rotate at once.
                    continue;
            }
        }
    }

    private async Task<(PermitDecision? Permit, string? KeyId, FetchOutcome NoKey)> AcquireAsync(DateTimeOffset deadline)
    {
        while (true)
        {
            var candidates = await _directory.CandidatesAsync();
            DateTimeOffset? earliestReopen = null;
            var worthWaiting = false;
            foreach (var key in candidates)
            {
                PermitDecision decision;
                try
                {
                    decision = await _grains.GetGrain<IApiKeyGrain>(key.KeyId).TryAcquirePermitAsync();
                }
                catch (Exception ex) when (IsClusterFault(ex))
                {
                    // The key's grain was on a silo that just died: it comes back on a survivor shortly.
                    FetchLog.KeyUnreachable(_logger, key.KeyId, ex.GetType().Name);
                    worthWaiting = true;
                    continue;
                }
                _directory.Update(decision.Snapshot);
                if (decision.Granted)
                {
                    return (decision, key.KeyId, null!);
                }
                switch (decision.Denial)
                {
                    case PermitDenial.RateLimited when decision.RetryAt is { } reopen:
                        earliestReopen = earliestReopen is { } e && e < reopen ? e : reopen;
                        worthWaiting = true;
                        break;
                    case PermitDenial.QuotaCommitted or PermitDenial.Probing or PermitDenial.Busy:
                        worthWaiting = true;
                        break;
                }
            }

            var now = _time.GetUtcNow();
            var reason = candidates.Count == 0
                ? "no active SoundCharts key (all spent or deactivated, or none configured)"
                : earliestReopen is { } r ? $"every usable key is rate-limited until {r:o}" : "every key is busy";
            if (!worthWaiting || now >= deadline || (earliestReopen is { } reopenAt && reopenAt > deadline && !HasBusyKey(candidates)))
            {
                return (null, null, new FetchOutcome(FetchKind.NoKey, Error: reason, ErrorCode: "no_key", RetryAt: earliestReopen));
            }
            var wait = earliestReopen is { } at ? at - now : TimeSpan.FromMilliseconds(250);
            if (wait > deadline - now)
            {
                wait = deadline - now;
            }
            // Any permit returned anywhere on this silo wakes us early.
            await _directory.WaitForChangeAsync(wait > TimeSpan.FromMilliseconds(250) ? TimeSpan.FromMilliseconds(250) : wait);
        }
    }

    private static bool HasBusyKey(IReadOnlyList<KeySnapshot> candidates) => candidates.Any(k => k.InFlight > 0);

    /// <summary>
    /// Returns the permit with what the call taught us. The answer itself matters more than the return:
    /// if the key's grain is unreachable (its silo just died), a paid answer must still be stored, not
    /// thrown away and paid for again. The grain's lease then drops the permit, and the next answer's
    /// x-quota-remaining corrects its count.
    /// </summary>
    private async Task CompleteAsync(string keyId, PermitCompletion completion)
    {
        try
        {
            var snapshot = await _grains.GetGrain<IApiKeyGrain>(keyId).CompletePermitAsync(completion);
            _directory.Update(snapshot);
        }
        catch (Exception ex) when (IsClusterFault(ex))
        {
            FetchLog.PermitNotReturned(_logger, keyId, ex.GetType().Name);
        }
    }

    /// <summary>
    /// A grain call that failed because of the cluster (a silo died or is unreachable), not because of the key:
    /// SiloUnavailableException and message rejections are OrleansExceptions; a call past its response timeout
    /// is a TimeoutException; a call in flight when its silo's connection drops ends in an
    /// OperationCanceledException (these calls carry no token of ours, so it cannot mean anything else).
    /// </summary>
    private static bool IsClusterFault(Exception ex) => ex is OrleansException or TimeoutException or OperationCanceledException;
}
