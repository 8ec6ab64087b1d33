using Microsoft.Extensions.Time.Testing;
using TrackGrains.Grains.Fetching;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.Tracks;

namespace TrackGrains.Tests.Tracks;

public sealed class TrackTransitionsTests
{
    private static readonly IReadOnlyList<TimeSpan> DefaultDelays = new RetryOptions().ParsedDelays;
    private static readonly TimeSpan Recheck = TimeSpan.FromDays(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private static readonly FetchOutcome Transient = new(FetchKind.Transient, Error: "HTTP 503", ErrorCode: "http_503", HttpStatus: 503, UpstreamCalls: 3);
    private static readonly FetchOutcome Success = new(FetchKind.Success, Body: "{}", UpstreamCalls: 1);
    private static readonly FetchOutcome NotFound = new(FetchKind.NotFound, Error: "404", ErrorCode: "not_found", HttpStatus: 404, UpstreamCalls: 1);
    private static readonly FetchOutcome Gone = new(FetchKind.Gone, Error: "410", ErrorCode: "gone", HttpStatus: 410, UpstreamCalls: 1);

    private void Apply(TrackState state, FetchOutcome outcome, RetryTrigger trigger = RetryTrigger.Scheduled) =>
        TrackTransitions.Apply(state, outcome, trigger, DefaultDelays, Recheck, _time.GetUtcNow());

    [Fact]
    public void Default_schedule_is_inline_then_one_hour_then_24_hours_then_failed()
    {
        var state = new TrackState();
        Assert.True(TrackTransitions.ShouldAttemptOnRead(state, _time.GetUtcNow()));

        Apply(state, Transient);
        Assert.Equal(EnrichmentStatus.Retrying, state.Status);
        Assert.Equal(1, state.Attempts);
        Assert.Equal(_time.GetUtcNow().AddHours(1), state.NextRetryAt);
        Assert.False(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));

        Apply(state, Transient);
        Assert.Equal(EnrichmentStatus.Retrying, state.Status);
        Assert.Equal(2, state.Attempts);
        Assert.Equal(_time.GetUtcNow().AddHours(24), state.NextRetryAt);

        _time.Advance(TimeSpan.FromHours(24));
        Assert.True(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));
        Apply(state, Transient);
        Assert.Equal(EnrichmentStatus.Failed, state.Status);
        Assert.Equal(3, state.Attempts);
        Assert.Null(state.NextRetryAt);
        Assert.Equal("HTTP 503", state.LastError);

        // Permanent: only an operator moves it.
        _time.Advance(TimeSpan.FromDays(30));
        Assert.False(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));
        Assert.False(TrackTransitions.ShouldAttempt(state, RetryTrigger.KeyAvailable, _time.GetUtcNow()));
        Assert.True(TrackTransitions.ShouldAttempt(state, RetryTrigger.Operator, _time.GetUtcNow()));
        Apply(state, Success, RetryTrigger.Operator);
        Assert.Equal(EnrichmentStatus.Enriched, state.Status);
    }

    [Fact]
    public void A_410_is_left_alone_by_the_operator_retry_unless_the_operator_insists()
    {
        var state = new TrackState();
        Apply(state, Gone);
        Assert.Equal(EnrichmentStatus.Failed, state.Status);
        Assert.False(TrackTransitions.ShouldAttempt(state, RetryTrigger.Operator, _time.GetUtcNow()));
        Assert.True(TrackTransitions.ShouldAttempt(state, RetryTrigger.OperatorIncludingGone, _time.GetUtcNow()));
    }

    [Fact]
    public void Operator_retry_of_a_failed_track_that_fails_again_stays_failed()
    {
        var state = new TrackState { Status = EnrichmentStatus.Failed, Attempts = 3 };
        Apply(state, Transient, RetryTrigger.Operator);
        Assert.Equal(EnrichmentStatus.Failed, state.Status);
        Assert.Null(state.NextRetryAt);
    }

    [Fact]
    public void Not_found_is_rechecked_exactly_once_after_the_recheck_delay()
    {
        var state = new TrackState();
        Apply(state, NotFound);
        Assert.Equal(EnrichmentStatus.NotFound, state.Status);
        Assert.Equal(_time.GetUtcNow() + Recheck, state.NextRetryAt);
        Assert.False(TrackTransitions.ShouldAttemptOnRead(state, _time.GetUtcNow()));

        _time.Advance(Recheck);
        Assert.True(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));
        Apply(state, NotFound);
        Assert.Equal(EnrichmentStatus.NotFound, state.Status);
        Assert.True(state.NotFoundRechecked);
        Assert.Null(state.NextRetryAt);

        _time.Advance(TimeSpan.FromDays(10));
        Assert.False(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));
        Assert.False(TrackTransitions.ShouldAttemptOnRead(state, _time.GetUtcNow()));
    }

    [Fact]
    public void Not_found_recheck_that_succeeds_enriches()
    {
        var state = new TrackState();
        Apply(state, NotFound);
        _time.Advance(Recheck);
        Apply(state, Success);
        Assert.Equal(EnrichmentStatus.Enriched, state.Status);
        Assert.Null(state.NextRetryAt);
    }

    [Fact]
    public void Gone_is_final_at_once_and_never_scheduled()
    {
        var state = new TrackState();
        Apply(state, Gone);
        Assert.Equal(EnrichmentStatus.Failed, state.Status);
        Assert.Null(state.NextRetryAt);
        Assert.Equal(410, state.LastHttpStatus);
        _time.Advance(TimeSpan.FromDays(5));
        Assert.False(TrackTransitions.ShouldAttempt(state, RetryTrigger.Scheduled, _time.GetUtcNow()));
    }

    [Fact]
    public void Waiting_for_a_key_counts_no_attempt_and_keeps_the_track_pending()
    {
        var state = new TrackState();
        var reopen = _time.GetUtcNow().AddSeconds(40);
        Apply(state, new FetchOutcome(FetchKind.NoKey, Error: "every usable key is rate-limited", ErrorCode: "no_key", RetryAt: reopen));
        Assert.Equal(EnrichmentStatus.Pending, state.Status);
        Assert.Equal(0, state.Attempts);
        Assert.Equal(0, state.TotalAttempts);
        Assert.True(state.WaitingForKey);
        Assert.True(TrackTransitions.ShouldAttempt(state, RetryTrigger.KeyAvailable, _time.GetUtcNow()));

        Apply(state, Success, RetryTrigger.KeyAvailable);
        Assert.Equal(EnrichmentStatus.Enriched, state.Status);
        Assert.False(state.WaitingForKey);
        Assert.Equal(1, state.TotalAttempts);
    }

    [Fact]
    public void Configured_short_delays_are_used()
    {
        var delays = RetryOptions.ParseDelays("00:00:00,00:00:02,00:00:05")!;
        var state = new TrackState();
        TrackTransitions.Apply(state, Transient, RetryTrigger.Scheduled, delays, Recheck, _time.GetUtcNow());
        Assert.Equal(_time.GetUtcNow().AddSeconds(2), state.NextRetryAt);
        _time.Advance(TimeSpan.FromSeconds(2));
        TrackTransitions.Apply(state, Transient, RetryTrigger.Scheduled, delays, Recheck, _time.GetUtcNow());
        Assert.Equal(_time.GetUtcNow().AddSeconds(5), state.NextRetryAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1h")]
    [InlineData("00:00:00,-00:00:01")]
    public void Bad_delay_lists_are_rejected(string text) => Assert.Null(RetryOptions.ParseDelays(text));
}
