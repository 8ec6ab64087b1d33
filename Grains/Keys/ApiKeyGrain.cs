using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Usage;

namespace TrackGrains.Grains.Keys;

/// <summary>One SoundCharts key: grants permits and keeps its quota and rate-limit accounting.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", GrainStorage.Name)] IPersistentState<ApiKeyState> store,
    IOptions<SoundChartsOptions> options,
    KeyStore projection,
    SoundChartsClient soundCharts,
    TimeProvider time,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    /// <summary>Routine accounting is written at most this often; a deactivation, a rest or a low-quota warning at once.</summary>
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    private KeyAccountant? _accountant;
    private IGrainTimer? _persistTimer;
    private bool _dirty;

    private KeyAccountant Accountant => _accountant ??=
        new KeyAccountant(store.State, options.Value.MaxInFlightPerKey, options.Value.DefaultRateLimitRest, options.Value.PermitLease);

    private string KeyId => this.GetPrimaryKeyString();

    public async Task<KeySnapshot> InitializeAsync(string appId, string apiKey)
    {
        if (store.RecordExists && store.State.ApiKey == apiKey && store.State.AppId == appId)
        {
            return Snapshot();
        }
        store.State.AppId = appId;
        store.State.ApiKey = apiKey;
        store.State.IsActive = true;
        store.State.DeactivationReason = null;
        store.State.AddedAt = time.GetUtcNow();
        KeyLog.KeyAdded(logger, KeyId, appId, KeyMasking.Mask(apiKey));

        // The usage endpoint costs no quota: learn the key's state (or that it is unusable) before spending on it.
        _accountant = null;
        var usage = await soundCharts.GetUsageAsync(appId, apiKey, CancellationToken.None);
        if (Accountant.ApplyUsage(usage, time.GetUtcNow()) is { } reason)
        {
            KeyLog.KeyDeactivated(logger, KeyId, reason);
        }
        await store.WriteStateAsync();
        await ProjectAsync();
        return Snapshot();
    }

    public Task<PermitDecision> TryAcquirePermitAsync()
    {
        if (!store.RecordExists)
        {
            return Task.FromResult(new PermitDecision { Denial = PermitDenial.Inactive, Snapshot = Snapshot() });
        }
        var (denial, retryAt, permitId) = Accountant.TryGrant(time.GetUtcNow());
        return Task.FromResult(denial == PermitDenial.None
            ? new PermitDecision { PermitId = permitId, AppId = store.State.AppId, ApiKey = store.State.ApiKey, Snapshot = Snapshot() }
            : new PermitDecision { Denial = denial, RetryAt = retryAt, Snapshot = Snapshot() });
    }

    public async Task<KeySnapshot> CompletePermitAsync(PermitCompletion completion)
    {
        var now = time.GetUtcNow();
        if (!Accountant.Complete(completion, now, out var deactivatedBecause))
        {
            return Snapshot();
        }
        if (completion.Outcome == CallOutcome.NotSent)
        {
            return Snapshot();
        }
        if (deactivatedBecause is not null)
        {
            KeyLog.KeyDeactivated(logger, KeyId, deactivatedBecause);
        }
        else if (completion.Outcome == CallOutcome.RateLimited && store.State.RestingUntil is { } resting)
        {
            KeyLog.KeyResting(logger, KeyId, resting);
        }
        var significant = deactivatedBecause is not null || completion.Outcome == CallOutcome.RateLimited;
        if (store.State.QuotaRemaining is { } quota && quota > 0 && quota < KeyWarnings.LowQuotaThreshold && !store.State.LowQuotaWarned)
        {
            store.State.LowQuotaWarned = true;
            significant = true;
            KeyLog.QuotaLow(logger, KeyId, quota);
        }

        // Every call through this key queues behind this grain, so routine counters are written in the
        // background rather than twice per call. Losing a second of counters in a crash is harmless:
        // the quota itself is re-learned from the next response's headers.
        _dirty = true;
        if (significant)
        {
            await PersistAsync();
        }
        else
        {
            _persistTimer ??= this.RegisterGrainTimer(PersistFromTimerAsync, new GrainTimerCreationOptions(PersistInterval, Timeout.InfiniteTimeSpan));
        }
        return Snapshot();
    }

    public Task<KeySnapshot> GetSnapshotAsync() => Task.FromResult(Snapshot());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await PersistAsync();
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task PersistFromTimerAsync()
    {
        _persistTimer?.Dispose();
        _persistTimer = null;
        if (_dirty)
        {
            await PersistAsync();
        }
    }

    private async Task PersistAsync()
    {
        _dirty = false;
        await store.WriteStateAsync();
        await ProjectAsync();
    }

    private async Task ProjectAsync()
    {
        try
        {
            await projection.SaveAsync(Snapshot(), store.State.ApiKey);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException)
        {
            // The grain state is the truth; the next write of this key repairs the row.
            KeyLog.ProjectionFailed(logger, ex, KeyId);
        }
    }

    private KeySnapshot Snapshot()
    {
        var s = store.State;
        return new KeySnapshot
        {
            KeyId = KeyId,
            AppId = s.AppId,
            MaskedKey = KeyMasking.Mask(s.ApiKey),
            IsActive = store.RecordExists && s.IsActive,
            DeactivationReason = store.RecordExists ? s.DeactivationReason : "unknown key",
            QuotaRemaining = s.QuotaRemaining,
            RateLimitLimit = s.RateLimitLimit,
            RateLimitRemaining = s.RateLimitRemaining,
            RateLimitResetAt = s.RateLimitResetAt,
            RestingUntil = s.RestingUntil,
            InFlight = _accountant?.InFlight ?? 0,
            TotalRequests = s.TotalRequests,
            SuccessfulRequests = s.SuccessfulRequests,
            FailedRequests = s.FailedRequests,
            LastUsed = s.LastUsed,
            LastResponseHeaders = s.LastResponseHeaders,
            AddedAt = s.AddedAt,
        };
    }
}
