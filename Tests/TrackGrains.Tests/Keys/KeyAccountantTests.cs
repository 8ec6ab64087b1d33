using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Keys;
using TrackGrains.Grains.SoundCharts;

namespace TrackGrains.Tests.Keys;

public sealed class KeyAccountantTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A key in service; with a quota, as the usage endpoint reported it when the key was added.</summary>
    private static KeyAccountant NewKey(long? quota = null, int maxInFlight = 16)
    {
        var key = new KeyAccountant(StoredState(), maxInFlight, TimeSpan.FromSeconds(60));
        if (quota is not null)
        {
            Assert.Null(key.ApplyUsage(new KeyUsage(CallOutcome.Success, quota, null, null, null, null), T0));
        }
        return key;
    }

    /// <summary>A key as a new activation reads it back from storage: its quota is what an earlier one wrote.</summary>
    private static KeyAccountant Restored(ApiKeyState state) => new(state, 16, TimeSpan.FromSeconds(60));

    private static ApiKeyState StoredState(long? quota = null) => new() { AppId = "a", ApiKey = "k", IsActive = true, QuotaRemaining = quota };

    private static PermitCompletion Done(long permit, CallOutcome outcome = CallOutcome.Success, long? quota = null,
        int? rlRemaining = null, int? rlReset = null, int? rlLimit = null) =>
        new() { PermitId = permit, Outcome = outcome, QuotaRemaining = quota, RateLimitRemaining = rlRemaining, RateLimitResetSeconds = rlReset, RateLimitLimit = rlLimit };

    [Fact]
    public void Unknown_key_grants_exactly_one_probe_until_it_learns_its_quota()
    {
        var key = NewKey();
        var first = key.TryGrant(T0);
        Assert.Equal(PermitDenial.None, first.Denial);
        Assert.Equal(PermitDenial.Probing, key.TryGrant(T0).Denial);

        key.Complete(Done(first.PermitId, quota: 3), T0, out _);
        var granted = Enumerable.Range(0, 5).Select(_ => key.TryGrant(T0)).ToList();
        Assert.Equal(3, granted.Count(g => g.Denial == PermitDenial.None));
        Assert.All(granted.Skip(3), g => Assert.Equal(PermitDenial.QuotaCommitted, g.Denial));
    }

    [Fact]
    public void Never_more_calls_in_flight_than_quota_left_and_last_unit_deactivates()
    {
        var key = NewKey(quota: 2);
        var a = key.TryGrant(T0);
        var b = key.TryGrant(T0);
        Assert.Equal(PermitDenial.QuotaCommitted, key.TryGrant(T0).Denial);

        key.Complete(Done(a.PermitId, quota: 1), T0, out _);
        Assert.Equal(PermitDenial.QuotaCommitted, key.TryGrant(T0).Denial); // 1 left, 1 in flight
        key.Complete(Done(b.PermitId, quota: 0), T0, out var reason);
        Assert.NotNull(reason);
        Assert.False(key.State.IsActive);
        Assert.Equal(PermitDenial.Inactive, key.TryGrant(T0).Denial);
    }

    [Fact]
    public void Stale_out_of_order_quota_header_does_not_raise_the_quota()
    {
        var key = NewKey(quota: 10);
        var a = key.TryGrant(T0);
        var b = key.TryGrant(T0);
        key.Complete(Done(b.PermitId, quota: 8), T0, out _);
        key.Complete(Done(a.PermitId, quota: 9), T0, out _); // processed earlier upstream, arrived later
        Assert.Equal(8, key.State.QuotaRemaining);
    }

    [Fact]
    public void Rate_limit_window_is_respected_and_reopens_with_its_whole_limit()
    {
        var key = NewKey(quota: 100);
        var probe = key.TryGrant(T0);
        key.Complete(Done(probe.PermitId, quota: 99, rlRemaining: 2, rlReset: 10, rlLimit: 3), T0, out _);
        Assert.Equal(PermitDenial.None, key.TryGrant(T0).Denial);
        Assert.Equal(PermitDenial.None, key.TryGrant(T0).Denial);
        var denied = key.TryGrant(T0);
        Assert.Equal(PermitDenial.RateLimited, denied.Denial);
        Assert.Equal(T0.AddSeconds(10), denied.RetryAt);

        // At the reset and not a second later, the next window opens with the whole limit the answers gave (3), of
        // which the two calls still in flight take their share until they answer.
        var later = T0.AddSeconds(10);
        var reopened = Enumerable.Range(0, 3).Select(_ => key.TryGrant(later).Denial).ToList();
        Assert.Equal([PermitDenial.None, PermitDenial.Busy, PermitDenial.Busy], reopened);
    }

    [Fact]
    public void A_late_answer_from_an_ended_window_does_not_move_the_new_one()
    {
        var key = NewKey(quota: 100);
        var probe = key.TryGrant(T0);
        key.Complete(Done(probe.PermitId, quota: 99, rlRemaining: 19, rlReset: 2, rlLimit: 20), T0, out _);
        var slow = key.TryGrant(T0);

        // The window ends; calls go into the next one and its first answer places its end at 4.1 s.
        var next = key.TryGrant(T0.AddSeconds(2));
        key.Complete(Done(next.PermitId, quota: 98, rlRemaining: 19, rlReset: 2, rlLimit: 20), T0.AddMilliseconds(2100), out _);
        Assert.Equal(T0.AddMilliseconds(4100), key.State.RateLimitResetAt);

        // The slow call of the first window answers now with its own, nearer, reset: it must not pull the new end in.
        key.Complete(Done(slow.PermitId, quota: 97, rlRemaining: 3, rlReset: 1, rlLimit: 20), T0.AddMilliseconds(2200), out _);
        Assert.Equal(T0.AddMilliseconds(4100), key.State.RateLimitResetAt);
        Assert.Equal(19, key.State.RateLimitRemaining);
    }

    [Fact]
    public void After_a_rate_limit_429_the_key_reopens_with_one_probe()
    {
        var key = NewKey(quota: 100);
        var first = key.TryGrant(T0);
        key.Complete(Done(first.PermitId, quota: 99, rlRemaining: 2, rlReset: 10, rlLimit: 3), T0, out _);
        var limited = key.TryGrant(T0);
        key.Complete(Done(limited.PermitId, CallOutcome.RateLimited, rlReset: 5, rlLimit: 3), T0, out _);

        var later = T0.AddSeconds(5);
        Assert.Equal(PermitDenial.None, key.TryGrant(later).Denial);
        Assert.Equal(PermitDenial.Probing, key.TryGrant(later).Denial);
    }

    [Fact]
    public void Rate_limit_429_rests_the_key_until_reset_and_does_not_deactivate_it()
    {
        var key = NewKey(quota: 100);
        var p = key.TryGrant(T0);
        key.Complete(Done(p.PermitId, CallOutcome.RateLimited, rlReset: 30), T0, out var reason);
        Assert.Null(reason);
        Assert.True(key.State.IsActive);
        var denied = key.TryGrant(T0.AddMilliseconds(29900));
        Assert.Equal(PermitDenial.RateLimited, denied.Denial);
        Assert.Equal(T0.AddSeconds(30), key.State.RestingUntil);
        Assert.Equal(PermitDenial.None, key.TryGrant(T0.AddSeconds(30)).Denial);
    }

    [Fact]
    public void Later_answers_of_the_same_window_do_not_push_its_end_later()
    {
        var key = NewKey(quota: 100);
        var probe = key.TryGrant(T0);
        key.Complete(Done(probe.PermitId, quota: 99, rlRemaining: 19, rlReset: 2, rlLimit: 20), T0.AddMilliseconds(100), out _);
        var second = key.TryGrant(T0.AddMilliseconds(100));
        // Same window, answered 1.2 s later: whole seconds round its 0.7 s left up to 1, which would place the end at 2.3 s.
        key.Complete(Done(second.PermitId, quota: 98, rlRemaining: 18, rlReset: 1, rlLimit: 20), T0.AddMilliseconds(1300), out _);
        Assert.Equal(T0.AddMilliseconds(2100), key.State.RateLimitResetAt);
        Assert.Equal(18, key.State.RateLimitRemaining);
    }

    [Fact]
    public void The_usage_endpoint_reset_is_replaced_by_the_first_answer_not_kept_as_a_bound()
    {
        var key = NewKey();
        // No window open at the usage call: its reset is a full window from now, not the end of the window a call opens later.
        key.ApplyUsage(new KeyUsage(CallOutcome.Success, 100, 20, 20, 2, null), T0);
        var call = key.TryGrant(T0.AddMilliseconds(1500));
        key.Complete(Done(call.PermitId, quota: 99, rlRemaining: 19, rlReset: 2, rlLimit: 20), T0.AddMilliseconds(1500), out _);
        Assert.Equal(T0.AddMilliseconds(3500), key.State.RateLimitResetAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(200)]
    public void A_call_that_timed_out_or_came_back_malformed_counts_as_spent_until_a_later_header_says_otherwise(int? httpStatus)
    {
        var key = NewKey(quota: 10);
        var older = key.TryGrant(T0);
        var faulted = key.TryGrant(T0);
        key.Complete(Done(faulted.PermitId, CallOutcome.Transient) with { HttpStatus = httpStatus }, T0, out _);
        Assert.Equal(9, key.State.QuotaRemaining);

        // An answer to a call granted before the fault was counted by the server before it: it cannot undo the fault.
        key.Complete(Done(older.PermitId, quota: 10), T0, out _);
        Assert.Equal(9, key.State.QuotaRemaining);

        // A call granted after it reports the server's own count, which wins either way.
        var newer = key.TryGrant(T0);
        key.Complete(Done(newer.PermitId, quota: 9), T0, out _);
        Assert.Equal(9, key.State.QuotaRemaining);
        var next = key.TryGrant(T0);
        key.Complete(Done(next.PermitId, quota: 8), T0, out _);
        Assert.Equal(8, key.State.QuotaRemaining);
    }

    [Fact]
    public void A_gateway_error_with_a_status_is_not_counted_as_spent()
    {
        var key = NewKey(quota: 10);
        var p = key.TryGrant(T0);
        key.Complete(Done(p.PermitId, CallOutcome.Transient) with { HttpStatus = 502 }, T0, out _);
        Assert.Equal(10, key.State.QuotaRemaining);
    }

    [Fact]
    public void Billed_faults_never_let_the_key_pass_its_quota_and_deactivate_it_for_quota()
    {
        var key = NewKey(quota: 2);
        var a = key.TryGrant(T0);
        var b = key.TryGrant(T0);
        key.Complete(Done(a.PermitId, CallOutcome.Transient), T0, out _);
        key.Complete(Done(b.PermitId, CallOutcome.Transient), T0, out var reason);
        Assert.Equal(0, key.State.QuotaRemaining);
        Assert.Contains("presumed", reason);
        Assert.False(key.State.IsActive);
        Assert.True(key.State.DeactivatedForQuota);
        Assert.Equal(PermitDenial.Inactive, key.TryGrant(T0).Denial);
    }

    [Fact]
    public void Only_spent_quota_is_rechecked_bad_credentials_are_not()
    {
        var spent = NewKey(quota: 5);
        Fail(spent, CallOutcome.QuotaReached);
        Assert.True(spent.State.DeactivatedForQuota);

        var revoked = NewKey(quota: 5);
        Fail(revoked, CallOutcome.Unauthorized);
        Assert.False(revoked.State.DeactivatedForQuota);

        static void Fail(KeyAccountant key, CallOutcome outcome) => key.Complete(Done(key.TryGrant(T0).PermitId, outcome), T0, out _);
    }

    [Fact]
    public void A_reactivated_key_forgets_its_quota_and_grants_one_probe()
    {
        var key = NewKey(quota: 1);
        key.Complete(Done(key.TryGrant(T0).PermitId, quota: 0), T0, out _);
        Assert.False(key.State.IsActive);

        key.Reactivate();
        Assert.True(key.State.IsActive);
        Assert.Null(key.State.DeactivationReason);
        Assert.Equal(PermitDenial.None, key.TryGrant(T0).Denial);
        Assert.Equal(PermitDenial.Probing, key.TryGrant(T0).Denial);
    }

    [Theory]
    [InlineData(CallOutcome.QuotaReached, "quota")]
    [InlineData(CallOutcome.Unauthorized, "401")]
    [InlineData(CallOutcome.Forbidden, "403")]
    public void Quota_and_credential_errors_deactivate_with_a_reason(CallOutcome outcome, string reasonPart)
    {
        var key = NewKey(quota: 100);
        var p = key.TryGrant(T0);
        key.Complete(Done(p.PermitId, outcome), T0, out var reason);
        Assert.False(key.State.IsActive);
        Assert.Contains(reasonPart, key.State.DeactivationReason!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(reason, key.State.DeactivationReason);
    }

    [Fact]
    public void Completing_a_permit_twice_counts_once()
    {
        var key = NewKey(quota: 5);
        var p = key.TryGrant(T0);
        Assert.True(key.Complete(Done(p.PermitId, quota: 4), T0, out _));
        Assert.False(key.Complete(Done(p.PermitId, quota: 4), T0, out _));
        Assert.Equal(1, key.State.TotalRequests);
    }

    [Fact]
    public void Without_a_quota_header_the_key_is_capped_by_concurrency()
    {
        var key = NewKey(maxInFlight: 3);
        var probe = key.TryGrant(T0);
        key.Complete(Done(probe.PermitId), T0, out _);
        Assert.True(key.State.QuotaHeaderMissing);
        var grants = Enumerable.Range(0, 5).Select(_ => key.TryGrant(T0).Denial).ToList();
        Assert.Equal(3, grants.Count(d => d == PermitDenial.None));
        Assert.Equal(PermitDenial.Busy, grants[^1]);
    }

    [Fact]
    public void A_lost_permit_stops_counting_after_its_lease()
    {
        var key = NewKey(quota: 1);
        key.TryGrant(T0);
        Assert.Equal(PermitDenial.QuotaCommitted, key.TryGrant(T0).Denial);
        Assert.Equal(PermitDenial.None, key.TryGrant(T0 + key.PermitLease + TimeSpan.FromSeconds(1)).Denial);
    }

    [Fact]
    public void Usage_endpoint_state_is_taken_before_any_call()
    {
        var key = NewKey();
        Assert.Null(key.ApplyUsage(new KeyUsage(CallOutcome.Success, 3, 100, 2, 30, null), T0));
        Assert.Equal(3, key.State.QuotaRemaining);
        var grants = Enumerable.Range(0, 4).Select(_ => key.TryGrant(T0).Denial).ToList();
        // No probing: two calls fit the window, then the window is full.
        Assert.Equal([PermitDenial.None, PermitDenial.None, PermitDenial.RateLimited, PermitDenial.RateLimited], grants);
    }

    [Fact]
    public void Usage_endpoint_401_or_empty_quota_deactivates_and_unreadable_usage_changes_nothing()
    {
        var bad = NewKey();
        Assert.Contains("401", bad.ApplyUsage(new KeyUsage(CallOutcome.Unauthorized, null, null, null, null, "no"), T0));
        Assert.False(bad.State.IsActive);

        var spent = NewKey();
        Assert.Contains("quota", spent.ApplyUsage(new KeyUsage(CallOutcome.Success, -5, null, null, null, null), T0));
        Assert.Equal(0, spent.State.QuotaRemaining);

        var unknown = NewKey();
        Assert.Null(unknown.ApplyUsage(KeyUsage.Unavailable("HTTP 500"), T0));
        Assert.Null(unknown.State.QuotaRemaining);
        Assert.Equal(PermitDenial.None, unknown.TryGrant(T0).Denial);
        Assert.Equal(PermitDenial.Probing, unknown.TryGrant(T0).Denial);
    }

    [Fact]
    public void A_quota_read_back_from_storage_is_probed_with_one_call_before_it_is_trusted()
    {
        // What an activation that died stored a moment before it granted more calls: 50 left, while SoundCharts has 2.
        var restored = Restored(StoredState(quota: 50));
        var probe = restored.TryGrant(T0);
        Assert.Equal(PermitDenial.None, probe.Denial);
        Assert.Equal(PermitDenial.Probing, restored.TryGrant(T0).Denial);

        restored.Complete(Done(probe.PermitId, quota: 2), T0, out _);
        var grants = Enumerable.Range(0, 4).Select(_ => restored.TryGrant(T0).Denial).ToList();
        Assert.Equal([PermitDenial.None, PermitDenial.None, PermitDenial.QuotaCommitted, PermitDenial.QuotaCommitted], grants);
    }

    [Fact]
    public void A_probe_that_timed_out_keeps_the_key_probing()
    {
        var restored = Restored(StoredState(quota: 50));
        var probe = restored.TryGrant(T0);
        restored.Complete(Done(probe.PermitId, CallOutcome.Transient), T0, out _);
        Assert.Equal(PermitDenial.None, restored.TryGrant(T0).Denial);
        Assert.Equal(PermitDenial.Probing, restored.TryGrant(T0).Denial);
    }

    [Fact]
    public void A_late_answer_to_an_earlier_activations_permit_returns_none_of_this_ones()
    {
        var state = StoredState();
        var earlier = Restored(state);
        earlier.ApplyUsage(new KeyUsage(CallOutcome.Success, 100, null, null, null, null), T0);
        var earlierPermits = Enumerable.Range(0, 20).Select(_ => earlier.TryGrant(T0).PermitId).ToList();

        var current = Restored(state);
        var probe = current.TryGrant(T0);
        foreach (var permit in earlierPermits)
        {
            // Counted by SoundCharts long ago, when 100 were left: the answer says nothing about now.
            Assert.False(current.Complete(Done(permit, quota: 100), T0, out _));
        }
        Assert.Equal(1, current.InFlight);
        Assert.Equal(PermitDenial.Probing, current.TryGrant(T0).Denial);
    }
}
