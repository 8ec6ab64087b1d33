using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Interfaces.Retries;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Usage;

namespace TrackGrains.Grains.Keys;

/// <summary>
/// One SoundCharts key: grants permits and keeps its quota and rate-limit accounting. Its secret is stored
/// only in encrypted form and held in clear only in memory. A key deactivated for spent quota is checked
/// again by a reminder (so the check survives restarts) until its quota is back.
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", GrainStorage.Name)] IPersistentState<ApiKeyState> store,
    IOptions<SoundChartsOptions> options,
    KeyStore projection,
    KeySecretProtector secrets,
    KeyDirectory directory,
    SoundChartsClient soundCharts,
    TimeProvider time,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain, IRemindable
{
    /// <summary>Routine accounting is written at most this often; a deactivation, a rest or a low-quota warning at once.</summary>
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    private const string QuotaRecheckReminder = "quota-recheck";

    private KeyAccountant? _accountant;
    private IGrainTimer? _persistTimer;
    private bool _dirty;
    private string? _secret;

    private KeyAccountant Accountant => _accountant ??=
        new KeyAccountant(store.State, options.Value.MaxInFlightPerKey, options.Value.DefaultRateLimitRest, options.Value.PermitLease);

    private string KeyId => this.GetPrimaryKeyString();

    private TimeSpan RecheckInterval => options.Value.QuotaRecheckInterval;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (store.RecordExists)
        {
            await ReadSecretAsync();
            if (store.State is { IsActive: false, DeactivatedForQuota: true })
            {
                await EnsureRecheckReminderAsync(keepDueTime: true);
            }
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<AddKeyResult> AddAsync(string appId, string apiKey)
    {
        var known = store.RecordExists && store.State.AppId == appId && _secret == apiKey;
        if (known && store.State.IsActive)
        {
            return new AddKeyResult(AddKeyOutcome.AlreadyActive, KeyId, Snapshot());
        }
        var outcome = store.RecordExists ? AddKeyOutcome.Rechecked : AddKeyOutcome.Added;
        if (!known)
        {
            // A new key's state is inactive until the usage answer is applied, so no permit is granted before.
            store.State.IsActive = false;
            store.State.AppId = appId;
            store.State.ApiKey = "";
            store.State.ProtectedApiKey = secrets.Protect(apiKey);
            _secret = apiKey;
            if (!store.RecordExists)
            {
                store.State.AddedAt = time.GetUtcNow();
            }
            KeyLog.KeyAdded(logger, KeyId, appId, KeyMasking.Mask(apiKey));
        }

        // The usage endpoint costs no quota: learn the key's state (or that it is unusable) before spending on it.
        // Asked before anything changes: permits interleave with this await and must still see the key as it was.
        var usage = await soundCharts.GetUsageAsync(appId, apiKey, CancellationToken.None);
        Accountant.Reactivate();
        if (Accountant.ApplyUsage(usage, time.GetUtcNow()) is { } reason)
        {
            KeyLog.KeyDeactivated(logger, KeyId, reason);
        }
        else if (outcome == AddKeyOutcome.Rechecked)
        {
            KeyLog.KeyReactivated(logger, KeyId, "added again by the operator");
        }
        await FollowDeactivationAsync();
        await PersistAsync();
        directory.Update(Snapshot());
        return new AddKeyResult(outcome, KeyId, Snapshot());
    }

    public async Task RemoveAsync()
    {
        // First, before any await: a permit asked for meanwhile is refused.
        _secret = null;
        if (store.RecordExists)
        {
            await UnregisterRecheckReminderAsync();
            _persistTimer?.Dispose();
            _persistTimer = null;
            _dirty = false;
            _accountant = null;
            // Nulls the stored payload: the encrypted secret goes with the rest of the state.
            await store.ClearStateAsync();
            KeyLog.KeyRemoved(logger, KeyId);
        }
        await projection.DeleteAsync(KeyId);
        directory.Remove(KeyId);
    }

    public Task<PermitDecision> TryAcquirePermitAsync()
    {
        if (!store.RecordExists || _secret is null)
        {
            return Task.FromResult(new PermitDecision { Denial = PermitDenial.Inactive, Snapshot = Snapshot() });
        }
        var (denial, retryAt, permitId) = Accountant.TryGrant(time.GetUtcNow());
        return Task.FromResult(denial == PermitDenial.None
            ? new PermitDecision { PermitId = permitId, AppId = store.State.AppId, ApiKey = _secret, Snapshot = Snapshot() }
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
            await FollowDeactivationAsync();
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

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != QuotaRecheckReminder)
        {
            return;
        }
        if (!store.RecordExists || _secret is null || store.State is not { IsActive: false, DeactivatedForQuota: true })
        {
            await UnregisterRecheckReminderAsync();
            return;
        }

        var usage = await soundCharts.GetUsageAsync(store.State.AppId, _secret, CancellationToken.None);
        var recheck = Accountant.ApplyRecheck(usage, time.GetUtcNow());
        switch (recheck)
        {
            case QuotaRecheck.StillSpent:
                store.State.NextQuotaCheckAt = time.GetUtcNow() + RecheckInterval;
                KeyLog.QuotaStillSpent(logger, KeyId, store.State.NextQuotaCheckAt.Value);
                break;
            case QuotaRecheck.Revoked:
                KeyLog.KeyDeactivated(logger, KeyId, store.State.DeactivationReason!);
                await UnregisterRecheckReminderAsync();
                break;
            default:
                KeyLog.KeyReactivated(logger, KeyId, recheck == QuotaRecheck.QuotaBack
                    ? "the usage endpoint reports quota again"
                    : "the usage endpoint gave no usable quota; one probing call will find out");
                await UnregisterRecheckReminderAsync();
                break;
        }
        await PersistAsync();
        if (store.State.IsActive)
        {
            // This silo's directory sees the key at once; other silos' re-read their registry within seconds. The
            // tracks that waited for a key resume without anyone asking.
            directory.Update(Snapshot());
            await GrainFactory.GetGrain<IKeyWaitQueueGrain>(0).WakeAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await PersistAsync();
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>
    /// Reads the secret back. A secret stored in clear by an earlier version is encrypted now (the upgrade path);
    /// one this key ring cannot read leaves the key unusable until the operator adds it again.
    /// </summary>
    private async Task ReadSecretAsync()
    {
        var state = store.State;
        if (state.ApiKey is { Length: > 0 } clear)
        {
            state.ProtectedApiKey = secrets.Protect(clear);
            state.ApiKey = "";
            _secret = clear;
            await store.WriteStateAsync();
            KeyLog.SecretEncrypted(logger, KeyId);
        }
        else if (state.ProtectedApiKey is { } protectedSecret)
        {
            _secret = secrets.TryUnprotect(protectedSecret);
            if (_secret is null && state.IsActive)
            {
                state.IsActive = false;
                state.DeactivatedForQuota = false;
                state.DeactivationReason = "the stored secret cannot be decrypted: the Data Protection key ring (Secrets:KeyRingPath, "
                    + "or the data folder) is missing or not the one it was written with; add the key again";
                KeyLog.KeyDeactivated(logger, KeyId, state.DeactivationReason);
                await store.WriteStateAsync();
            }
        }

        // Keys spent under earlier versions were not marked as such; their reason says so.
        if (state is { IsActive: false, DeactivatedForQuota: false } && _secret is not null
            && state.DeactivationReason?.Contains("quota", StringComparison.OrdinalIgnoreCase) == true)
        {
            state.DeactivatedForQuota = true;
        }
    }

    /// <summary>After a deactivation: a key spent for quota gets its re-check; any other one waits for the operator.</summary>
    private Task FollowDeactivationAsync() =>
        store.State is { IsActive: false, DeactivatedForQuota: true } ? EnsureRecheckReminderAsync(keepDueTime: false) : UnregisterRecheckReminderAsync();

    private async Task EnsureRecheckReminderAsync(bool keepDueTime)
    {
        var now = time.GetUtcNow();
        if (keepDueTime && await this.GetReminder(QuotaRecheckReminder) is not null)
        {
            return;
        }
        var due = keepDueTime && store.State.NextQuotaCheckAt is { } next && next > now ? next - now : RecheckInterval;
        await this.RegisterOrUpdateReminder(QuotaRecheckReminder, due, RecheckInterval);
        store.State.NextQuotaCheckAt = now + due;
    }

    private async Task UnregisterRecheckReminderAsync()
    {
        store.State.NextQuotaCheckAt = null;
        if (await this.GetReminder(QuotaRecheckReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
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
            await projection.SaveAsync(Snapshot(), _secret ?? "");
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
            MaskedKey = _secret is null ? KeyMasking.Mask("") : KeyMasking.Mask(_secret),
            IsActive = store.RecordExists && s.IsActive && _secret is not null,
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
            Removed = !store.RecordExists,
            NextQuotaCheckAt = s.IsActive ? null : s.NextQuotaCheckAt,
        };
    }
}
