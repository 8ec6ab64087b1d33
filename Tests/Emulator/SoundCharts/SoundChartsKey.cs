namespace TrackGrains.Emulator.SoundCharts;

/// <summary>
/// A registered key with its live quota and rate-limit window. All accounting happens in one
/// locked step per call so concurrent calls can never overspend the quota or the window.
/// </summary>
public sealed class SoundChartsKey(SoundChartsKeyOptions options)
{
    private readonly Lock _gate = new();
    private long _remaining = options.Quota;
    private DateTimeOffset? _windowStart;
    private int _windowUsed;
    private bool _windowAnswered429;
    private bool _exhaustedSignalled;
    private int _inFlight;

    public SoundChartsKeyOptions Options { get; } = options;

    /// <summary>Quota units left; negative while spending the overage allowance.</summary>
    public long QuotaRemaining
    {
        get
        {
            lock (_gate)
            {
                return _remaining;
            }
        }
    }

    /// <summary>
    /// Lets a test jump to the end of a quota without making a thousand calls, or renew a spent one (a new month):
    /// calls after a renewal are no longer "after exhausted".
    /// </summary>
    public void SetQuotaRemaining(long remaining)
    {
        lock (_gate)
        {
            _remaining = remaining;
            if (remaining > 0)
            {
                _exhaustedSignalled = false;
            }
        }
    }

    /// <summary>Back to the state of a freshly registered key.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _remaining = Options.Quota;
            _windowStart = null;
            _windowUsed = 0;
            _windowAnswered429 = false;
            _exhaustedSignalled = false;
        }
    }

    internal int EnterFlight() => Interlocked.Increment(ref _inFlight);

    internal void ExitFlight() => Interlocked.Decrement(ref _inFlight);

    /// <param name="sendsQuotaHeader">Whether the answer will carry x-quota-remaining (gateway faults do not).</param>
    internal KeyAdmission Admit(DateTimeOffset now, AdmissionCost cost, bool sendsQuotaHeader)
    {
        lock (_gate)
        {
            var afterQuota = _exhaustedSignalled;
            RollWindow(now);
            var afterRate = _windowAnswered429;

            var verdict = AdmissionVerdict.Admitted;
            if (cost != AdmissionCost.Bypass)
            {
                if (_windowUsed >= Options.RateLimit)
                {
                    _windowAnswered429 = true;
                    verdict = AdmissionVerdict.RateLimited;
                }
                else
                {
                    _windowUsed++;
                    if (_remaining <= -Options.OverageAllowance)
                    {
                        _exhaustedSignalled = true;
                        verdict = AdmissionVerdict.QuotaExceeded;
                    }
                    else if (cost == AdmissionCost.Unit)
                    {
                        _remaining--;
                    }
                }
            }

            // The header never goes negative: overage is invisible to the client, as in a real plan.
            var quotaShown = Math.Max(0, _remaining);
            if (quotaShown == 0 && sendsQuotaHeader && Options.SendQuotaHeader)
            {
                _exhaustedSignalled = true;
            }

            return new KeyAdmission(
                verdict,
                afterQuota,
                afterRate,
                quotaShown,
                Options.RateLimit,
                Math.Max(0, Options.RateLimit - _windowUsed),
                ResetSeconds(now),
                _windowUsed);
        }
    }

    /// <summary>The state /api/v2/team/usage reports; moves nothing.</summary>
    internal KeyAdmission Peek(DateTimeOffset now)
    {
        lock (_gate)
        {
            var windowOpen = _windowStart is not null && now < _windowStart + Options.RateLimitWindow;
            var used = windowOpen ? _windowUsed : 0;
            return new KeyAdmission(
                AdmissionVerdict.Admitted,
                _exhaustedSignalled,
                windowOpen && _windowAnswered429,
                Math.Max(0, _remaining),
                Options.RateLimit,
                Math.Max(0, Options.RateLimit - used),
                windowOpen ? ResetSeconds(now) : (int)Math.Ceiling(Options.RateLimitWindow.TotalSeconds),
                used);
        }
    }

    // Fixed windows that start at the first call after the previous one ended, not on clock minutes.
    private void RollWindow(DateTimeOffset now)
    {
        if (_windowStart is null || now >= _windowStart + Options.RateLimitWindow)
        {
            _windowStart = now;
            _windowUsed = 0;
            _windowAnswered429 = false;
        }
    }

    // Rounded up: a client sleeping this many seconds must land in the next window.
    private int ResetSeconds(DateTimeOffset now)
    {
        var left = (_windowStart!.Value + Options.RateLimitWindow) - now;
        return (int)Math.Ceiling(left.Ticks / (double)TimeSpan.TicksPerSecond);
    }
}
