using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.SoundCharts;

namespace TrackGrains.Grains.Keys;

/// <summary>
/// The permit rules of one key, kept free of Orleans so they can be tested with fake time.
/// A permit is granted only while calls in flight stay below the known quota left and the known
/// room in the rate-limit window; a key whose state is unknown grants one probing call at a time.
/// </summary>
/// <remarks>
/// Responses can arrive out of order. Each permit carries the grant sequence number, and header values
/// are taken when they are lower than what is known (counters only fall inside a window) or when the call
/// was granted after the last update was received (so the server saw it later, e.g. in a new window).
/// </remarks>
public sealed class KeyAccountant(ApiKeyState state, int maxInFlightWithoutQuota, TimeSpan defaultRest, TimeSpan? permitLease = null)
{
    /// <summary>
    /// A permit not returned within this time is presumed lost (its caller's silo died) and stops counting.
    /// Each permit covers one HTTP try, which the caller cancels at SoundCharts:RequestTimeout, so the
    /// lease need only outlast that (see <see cref="Options.SoundChartsOptions.PermitLease"/>): a longer one
    /// keeps a key's budget blocked by a dead silo's calls that long.
    /// </summary>
    public TimeSpan PermitLease { get; } = permitLease ?? TimeSpan.FromMinutes(3);

    private readonly Dictionary<long, Permit> _inFlight = [];

    /// <summary>
    /// Permit ids start at a random point, so a late answer to a permit an earlier activation of this key granted
    /// (its silo died, or it was replaced) cannot return a permit this one granted under the same number.
    /// </summary>
    private long _sequence = Random.Shared.NextInt64(0, long.MaxValue / 2);
    private long _quotaUpdatedAtSequence;
    private long _rateUpdatedAtSequence;
    private bool _windowProbeOutstanding;

    /// <summary>
    /// Whether the known window end came from song answers. The usage endpoint's reset is no bound of the window a
    /// first call will open, so it never takes part in keeping the lowest bound.
    /// </summary>
    private bool _resetFromResponses;

    /// <summary>The first permit granted after the known window ended; a slower answer to an earlier one says nothing of the new window.</summary>
    private long _windowOpenedAtSequence;

    /// <summary>
    /// Whether the quota in <see cref="State"/> was reported to this accountant, by an answer or by the usage endpoint.
    /// A quota read back from storage was not: the activation that stored it may have granted calls after its last
    /// write (its silo was killed, or a second activation overwrote it), so the real quota may be far lower. Until
    /// one answer reports it again, the key grants one probing call at a time, as a key whose quota is unknown does.
    /// </summary>
    private bool _quotaReported;

    public ApiKeyState State => state;

    public int InFlight => _inFlight.Count;

    public (PermitDenial Denial, DateTimeOffset? RetryAt, long PermitId) TryGrant(DateTimeOffset now)
    {
        ExpireLostPermits(now);

        if (!state.IsActive)
        {
            return (PermitDenial.Inactive, null, 0);
        }
        if (state.RestingUntil is { } resting && resting > now)
        {
            return (PermitDenial.RateLimited, resting, 0);
        }

        if (state.QuotaRemaining is { } quota && _quotaReported)
        {
            if (_inFlight.Count >= quota)
            {
                return (PermitDenial.QuotaCommitted, null, 0);
            }
        }
        else if (!state.QuotaHeaderMissing && _inFlight.Count > 0)
        {
            return (PermitDenial.Probing, null, 0);
        }

        if (_inFlight.Count >= maxInFlightWithoutQuota && (state.QuotaRemaining is null || state.QuotaHeaderMissing))
        {
            return (PermitDenial.Busy, null, 0);
        }

        var windowProbe = false;
        if (state.RateLimitRemaining is { } room && state.RateLimitResetAt is { } resetAt)
        {
            if (resetAt > now)
            {
                if (_inFlight.Count >= room)
                {
                    return (PermitDenial.RateLimited, resetAt, 0);
                }
            }
            else if (_resetFromResponses && state.RateLimitLimit is { } limit and > 0)
            {
                // The window whose end the answers bounded from above has ended, and x-ratelimit-reset names the moment
                // the window resets: the next one opens with the whole limit. Waiting for one call's answer before the
                // rest would cost a round trip per window.
                if (_inFlight.Count >= limit)
                {
                    // Room comes back as these calls answer.
                    return (PermitDenial.Busy, null, 0);
                }
            }
            else
            {
                // The window we knew has ended and its limit is unknown (or it was learned from a 429 or the usage
                // endpoint, whose reset bounds nothing): the new one's room is unknown until one call reports it.
                if (_windowProbeOutstanding)
                {
                    return (PermitDenial.Probing, null, 0);
                }
                windowProbe = true;
            }
        }

        var id = ++_sequence;
        if (state.RateLimitResetAt is { } ended && ended <= now && _windowOpenedAtSequence <= _rateUpdatedAtSequence)
        {
            // The first call into a new window: answers to calls granted before it belong to earlier windows.
            _windowOpenedAtSequence = id;
        }
        _inFlight[id] = new Permit(id, now, windowProbe);
        _windowProbeOutstanding |= windowProbe;
        return (PermitDenial.None, null, id);
    }

    /// <summary>Applies a returned permit. Returns false for an unknown (already returned or expired) permit.</summary>
    public bool Complete(PermitCompletion completion, DateTimeOffset now, out string? deactivatedBecause)
    {
        deactivatedBecause = null;
        if (!_inFlight.Remove(completion.PermitId, out var permit))
        {
            return false;
        }
        if (permit.WindowProbe)
        {
            _windowProbeOutstanding = false;
        }
        if (completion.Outcome == CallOutcome.NotSent)
        {
            return true;
        }

        state.TotalRequests++;
        state.LastUsed = now;
        if (completion.ResponseHeaders is { Length: > 0 } raw)
        {
            state.LastResponseHeaders = raw;
        }
        if (completion.Outcome is CallOutcome.Success or CallOutcome.NotFound or CallOutcome.Gone)
        {
            state.SuccessfulRequests++;
        }
        else
        {
            state.FailedRequests++;
        }

        ApplyQuota(completion, permit);
        ApplyRateLimit(completion, permit, now);
        var presumedSpent = ApplyPossiblyBilledFault(completion);

        switch (completion.Outcome)
        {
            case CallOutcome.RateLimited:
                // Until the reset and not a second more (SPEC section 3): a 429 costs no quota, so one probing
                // call at the reset finds out, while a spare second costs up to half the throughput of short windows.
                var rest = completion.RateLimitResetSeconds is { } seconds
                    ? TimeSpan.FromSeconds(seconds)
                    : defaultRest;
                var until = now + rest;
                state.RestingUntil = state.RestingUntil is { } current && current > until ? current : until;
                state.RateLimitRemaining = 0;
                state.RateLimitResetAt = state.RestingUntil;
                _rateUpdatedAtSequence = _sequence;
                // A 429 means the window was not what the answers suggested: after the rest, one probing call finds out.
                _resetFromResponses = false;
                break;
            case CallOutcome.QuotaReached:
                deactivatedBecause = "SoundCharts answered 429 Maximum quota reached";
                break;
            case CallOutcome.Unauthorized:
                deactivatedBecause = "SoundCharts answered 401: the app id or key is not valid";
                break;
            case CallOutcome.Forbidden:
                deactivatedBecause = "SoundCharts answered 403: this endpoint is not in the key's plan";
                break;
        }

        if (deactivatedBecause is null && state.QuotaRemaining == 0 && !state.QuotaHeaderMissing)
        {
            deactivatedBecause = presumedSpent
                ? "quota presumed spent: the last calls timed out or came back malformed and may have been billed"
                : "quota spent (x-quota-remaining: 0)";
        }
        if (deactivatedBecause is not null)
        {
            Deactivate(deactivatedBecause, forQuota: completion.Outcome is not (CallOutcome.Unauthorized or CallOutcome.Forbidden));
            if (completion.Outcome == CallOutcome.QuotaReached)
            {
                state.QuotaRemaining = 0;
            }
        }
        return true;
    }

    /// <summary>
    /// A call that timed out, broke off, or came back as a malformed 200 may have been billed: SoundCharts
    /// takes the unit before it answers. Until a later x-quota-remaining says otherwise, the accounting
    /// assumes it was, so billed faults can never push the key past its quota. Returns whether it counted one.
    /// </summary>
    private bool ApplyPossiblyBilledFault(PermitCompletion completion)
    {
        var possiblyBilled = completion.Outcome == CallOutcome.Transient
            && completion.QuotaRemaining is null
            && completion.HttpStatus is null or 200;
        if (!possiblyBilled || state.QuotaRemaining is not { } quota || quota <= 0)
        {
            return false;
        }
        state.QuotaRemaining = quota - 1;
        // Answers to calls granted before this one were counted by the server before it too: they must not raise it back.
        _quotaUpdatedAtSequence = _sequence;
        return true;
    }

    /// <summary>The key serves no more calls; one deactivated for spent quota is re-checked until quota is back.</summary>
    private void Deactivate(string reason, bool forQuota)
    {
        state.IsActive = false;
        state.DeactivationReason = reason;
        state.DeactivatedForQuota = forQuota;
    }

    /// <summary>
    /// Takes the key into service again after an operator's re-add or a quota re-check: what it knew of its
    /// quota is forgotten (the usage answer, or one probing call, learns it again); its counters stay.
    /// </summary>
    public void Reactivate()
    {
        state.IsActive = true;
        state.DeactivationReason = null;
        state.DeactivatedForQuota = false;
        state.QuotaRemaining = null;
        state.QuotaHeaderMissing = false;
        state.LowQuotaWarned = false;
        _quotaUpdatedAtSequence = _sequence;
    }

    /// <summary>
    /// Takes a new key's state from the free usage endpoint. Returns the reason when the answer shows
    /// the key cannot serve (bad credentials, no quota left).
    /// </summary>
    public string? ApplyUsage(KeyUsage usage, DateTimeOffset now)
    {
        string? deactivatedBecause = null;
        if (usage.Outcome == CallOutcome.Unauthorized)
        {
            deactivatedBecause = "SoundCharts answered 401 on the usage endpoint: the app id or key is not valid";
        }
        else if (usage.Outcome == CallOutcome.Success)
        {
            if (usage.QuotaRemaining is { } quota)
            {
                state.QuotaRemaining = Math.Max(0, quota);
                state.QuotaHeaderMissing = false;
                _quotaReported = true;
                _quotaUpdatedAtSequence = _sequence;
                if (quota <= 0)
                {
                    deactivatedBecause = "quota spent (usage endpoint reports none left)";
                }
            }
            // A window the server reports as running; with no reset time, the first call learns it.
            if (usage.RateLimitLimit is { } limit)
            {
                state.RateLimitLimit = limit;
            }
            if (usage.RateLimitRemaining is { } room && usage.RateLimitResetSeconds is { } reset and > 0)
            {
                state.RateLimitRemaining = room;
                state.RateLimitResetAt = now + TimeSpan.FromSeconds(reset);
                _rateUpdatedAtSequence = _sequence;
                _resetFromResponses = false;
            }
        }
        if (deactivatedBecause is not null)
        {
            Deactivate(deactivatedBecause, forQuota: usage.Outcome == CallOutcome.Success);
        }
        return deactivatedBecause;
    }

    /// <summary>
    /// A key deactivated for spent quota, checked again through the free usage endpoint. Quota back: active
    /// again with what the endpoint says. No usable answer: active again with its quota unknown, so exactly one
    /// probing call (a waiting track's) finds out, and a quota 429 to it deactivates the key again.
    /// </summary>
    public QuotaRecheck ApplyRecheck(KeyUsage usage, DateTimeOffset now)
    {
        if (usage.Outcome == CallOutcome.Unauthorized)
        {
            Deactivate("SoundCharts answered 401 on the usage endpoint: the app id or key is not valid", forQuota: false);
            return QuotaRecheck.Revoked;
        }
        if (usage.Outcome == CallOutcome.Success && usage.QuotaRemaining is { } quota && quota <= 0)
        {
            return QuotaRecheck.StillSpent;
        }
        Reactivate();
        if (usage.Outcome == CallOutcome.Success && usage.QuotaRemaining is not null)
        {
            ApplyUsage(usage, now);
            return QuotaRecheck.QuotaBack;
        }
        return QuotaRecheck.Probing;
    }

    private void ApplyQuota(PermitCompletion completion, Permit permit)
    {
        if (completion.QuotaRemaining is { } quota)
        {
            var newer = permit.Sequence > _quotaUpdatedAtSequence;
            if (newer || state.QuotaRemaining is null || quota < state.QuotaRemaining)
            {
                state.QuotaRemaining = quota;
                _quotaUpdatedAtSequence = _sequence;
            }
            state.QuotaHeaderMissing = false;
            _quotaReported = true;
        }
        else if (completion.Outcome is CallOutcome.Success or CallOutcome.NotFound or CallOutcome.Gone)
        {
            if (state.QuotaRemaining is null)
            {
                // A real answer without the documented header: account by concurrency and 429s alone.
                state.QuotaHeaderMissing = true;
            }
            // Answers from this key carry no quota, so waiting for one that does would serve one call at a time for good.
            _quotaReported = true;
        }
    }

    private void ApplyRateLimit(PermitCompletion completion, Permit permit, DateTimeOffset now)
    {
        if (completion.RateLimitLimit is { } limit)
        {
            state.RateLimitLimit = limit;
        }
        if (completion.RateLimitRemaining is not { } remaining || completion.RateLimitResetSeconds is not { } resetSeconds)
        {
            return;
        }
        if (permit.Sequence < _windowOpenedAtSequence)
        {
            // Counted in a window that has ended: taking its remaining or reset would place the new window wrongly.
            return;
        }
        // The server rounds the seconds up, so now + reset is at or after the window's end: no margin is added.
        var resetAt = now + TimeSpan.FromSeconds(resetSeconds);
        var newer = permit.Sequence > _rateUpdatedAtSequence;
        var windowRunning = state.RateLimitRemaining is not null && state.RateLimitResetAt is { } knownReset && knownReset > now;
        if (windowRunning && _resetFromResponses && remaining <= state.RateLimitRemaining)
        {
            // The same window answered again: every answer's now + reset is an upper bound of its end, rounded up by
            // as much as a second, and later answers are not nearer the truth. The lowest bound stands, so the key
            // resumes at the window's end instead of up to a second after it.
            state.RateLimitRemaining = remaining;
            if (resetAt < state.RateLimitResetAt)
            {
                state.RateLimitResetAt = resetAt;
            }
            _rateUpdatedAtSequence = _sequence;
        }
        else if (newer || !windowRunning || remaining < state.RateLimitRemaining)
        {
            state.RateLimitRemaining = remaining;
            state.RateLimitResetAt = resetAt;
            _rateUpdatedAtSequence = _sequence;
            _resetFromResponses = true;
        }
    }

    private void ExpireLostPermits(DateTimeOffset now)
    {
        if (_inFlight.Count == 0)
        {
            return;
        }
        foreach (var permit in _inFlight.Values.Where(p => now - p.GrantedAt > PermitLease).ToList())
        {
            _inFlight.Remove(permit.Sequence);
            if (permit.WindowProbe)
            {
                _windowProbeOutstanding = false;
            }
        }
    }

    private sealed record Permit(long Sequence, DateTimeOffset GrantedAt, bool WindowProbe);
}
