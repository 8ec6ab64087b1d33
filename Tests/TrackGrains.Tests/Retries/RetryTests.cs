using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Grains.Interfaces.Retries;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Retries;

/// <summary>Short retry delays (1 s, 2 s) so reminders fire within a test.</summary>
public class FlakyServer() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    ["Retry:Delays"] = "00:00:00,00:00:01,00:00:02",
    ["Retry:ReminderPeriod"] = "00:00:01",
    ["Retry:NotFoundRecheck"] = "00:00:03",
});

public abstract class RetryTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : FlakyServer
{
    /// <summary>Longer than Retry:ReminderPeriod (1 s) and the minimum reminder period: a stray reminder would have fired.</summary>
    private static readonly TimeSpan PastNextReminder = TimeSpan.FromSeconds(3);

    private SoundChartsState Upstream => server.Emulator.State.SoundCharts;

    private void SetFaultRate(double rate) => Upstream.Settings = Upstream.Settings with
    {
        TransientFaultRate = rate,
        FaultKinds = [FaultKind.ServerError, FaultKind.BadGateway, FaultKind.ServiceUnavailable, FaultKind.MalformedJson],
    };

    [Fact]
    public async Task A_failed_attempt_is_retried_by_its_reminder_without_any_further_request()
    {
        var id = TestIds.Track();
        SetFaultRate(1.0);
        JsonElement first;
        try
        {
            first = await GetTrackAsync(id);
        }
        finally
        {
            SetFaultRate(0);
        }
        Assert.Equal("retrying", first.GetProperty("enrichment").GetProperty("status").GetString());
        Assert.Equal(1, first.GetProperty("enrichment").GetProperty("attempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("enrichment").GetProperty("lastError").GetString()));
        // One attempt = the call plus two quick in-attempt retries.
        Assert.Equal(3, Upstream.Counters.CallsForTrack(id));

        // Reads of a retrying track do not attempt early; only its reminder does.
        await TrackPolling.WaitUntilAsync(() => Upstream.Counters.CallsForTrack(id) == 4, TimeSpan.FromSeconds(30));
        var statuses = await TrackPolling.WaitForFinalStatusesAsync(server.User, [id], TimeSpan.FromSeconds(10), "enriched");
        Assert.Equal("enriched", statuses[id]);
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(id), 4, PastNextReminder, "calls for the enriched track");

        // Done tracks leave neither a reminder nor a failure row behind, so neither table grows without bound.
        await DatabaseProbe.WaitForCountAsync(server.Database,
            "SELECT COUNT(*) FROM OrleansRemindersTable WHERE GrainId LIKE '%' || @id || '%'", 0, TimeSpan.FromSeconds(10), ("@id", id));
        Assert.Equal(0, await DatabaseProbe.CountAsync(server.Database, "SELECT COUNT(*) FROM failed_requests WHERE spotify_id = @id", ("@id", id)));
    }

    [Fact]
    public async Task A_failed_attempt_whose_reminder_could_not_be_scheduled_is_attempted_again_by_the_next_read()
    {
        // The reminder's grain is unreachable when the failure is recorded, as when the silo hosting it has just died.
        var id = TestIds.Track();
        server.Outage.FailNext(nameof(IRetryReminderGrain.ScheduleAsync), id);
        SetFaultRate(1.0);
        try
        {
            await ProblemAssert.IsProblemAsync(await server.User.GetAsync($"/api/tracks/{id}"), HttpStatusCode.ServiceUnavailable, "Nothing was lost");
        }
        finally
        {
            SetFaultRate(0);
        }
        Assert.Equal(3, Upstream.Counters.CallsForTrack(id));
        Assert.Equal(0, server.Outage.Pending);

        // No reminder was stored and no state was written, so nothing would ever wake a track left "retrying" in
        // memory: the next read must find it as storage has it (pending) and make the attempt itself.
        Assert.Equal(0, await DatabaseProbe.CountAsync(server.Database,
            "SELECT COUNT(*) FROM OrleansRemindersTable WHERE GrainId LIKE '%' || @id || '%'", ("@id", id)));
        var track = await GetTrackAsync(id);
        Assert.Equal("enriched", track.GetProperty("enrichment").GetProperty("status").GetString());
        Assert.Equal(4, Upstream.Counters.CallsForTrack(id));
    }

    [Fact]
    public async Task After_the_last_attempt_a_track_stays_failed_until_the_operator_retries_it()
    {
        var id = TestIds.Track();
        SetFaultRate(1.0);
        try
        {
            var doomed = await GetTrackAsync(id);
            Assert.Equal("retrying", doomed.GetProperty("enrichment").GetProperty("status").GetString());
            var failed = await TrackPolling.WaitForFinalStatusesAsync(server.User, [id], TimeSpan.FromSeconds(30), "failed");
            Assert.Equal("failed", failed[id]);
            Assert.Equal(9, Upstream.Counters.CallsForTrack(id));
        }
        finally
        {
            SetFaultRate(0);
        }

        Assert.Equal("failed", (await TrackPolling.PeekStatusesAsync(server.User, [id]))[id]);
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(id), 9, PastNextReminder, "calls for the failed track");

        var row = await DatabaseProbe.RowAsync(server.Database, "SELECT * FROM failed_requests WHERE spotify_id = @id", ("@id", id));
        Assert.NotNull(row);
        Assert.Equal("failed", row["status"]);
        Assert.Equal(3L, row["attempt_count"]);
        Assert.Equal(3L, row["max_attempts"]);
        Assert.False(string.IsNullOrWhiteSpace(row["error_message"] as string));
        Assert.Null(row["next_retry"]);

        using var retry = await server.Admin.PostAsync("/api/retry-failed", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var summary = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(summary.GetProperty("processed").GetInt32() >= 1);
        Assert.True(summary.GetProperty("succeeded").GetInt32() >= 1);
        Assert.Equal("enriched", (await TrackPolling.PeekStatusesAsync(server.User, [id]))[id]);
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(id), 10, PastNextReminder, "calls after the operator's retry");
    }

    [Fact]
    public async Task Retry_failed_leaves_410_tracks_alone_unless_the_operator_includes_them()
    {
        var gone = TestIds.Track();
        Upstream.SetAvailability(gone, SongAvailability.Gone);
        Assert.Equal("failed", (await GetTrackAsync(gone)).GetProperty("enrichment").GetProperty("status").GetString());
        Assert.Equal(1, Upstream.Counters.CallsForTrack(gone));

        using (var retry = await server.Admin.PostAsync("/api/retry-failed", null))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            var summary = await retry.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(summary.GetProperty("skippedGone").GetInt32() >= 1);
        }
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(gone), 1, PastNextReminder, "calls for the 410 track");

        await ProblemAssert.IsProblemAsync(await server.Admin.PostAsync("/api/retry-failed?includeGone=maybe", null),
            HttpStatusCode.BadRequest, "includeGone");
        Assert.Equal(1, Upstream.Counters.CallsForTrack(gone));

        using (var insist = await server.Admin.PostAsync("/api/retry-failed?includeGone=true", null))
        {
            Assert.Equal(HttpStatusCode.OK, insist.StatusCode);
        }
        Assert.Equal(2, Upstream.Counters.CallsForTrack(gone));
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(gone), 2, PastNextReminder, "calls after insisting");
    }

    [Fact]
    public async Task Retry_failed_is_for_the_admin_only()
    {
        using var asUser = await server.User.PostAsync("/api/retry-failed", null);
        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        using var anonymous = await server.Anonymous.PostAsync("/api/retry-failed", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Not_found_is_looked_up_once_more_and_then_left_alone()
    {
        var id = TestIds.Track();
        Upstream.SetAvailability(id, SongAvailability.NotFound);
        using (var response = await server.User.GetAsync($"/api/tracks/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(1, Upstream.Counters.CallsForTrack(id));

        // SoundCharts learns the song meanwhile; the single re-check picks it up.
        Upstream.SetAvailability(id, SongAvailability.Known);
        await TrackPolling.WaitUntilAsync(() => Upstream.Counters.CallsForTrack(id) == 2, TimeSpan.FromSeconds(30));
        var statuses = await TrackPolling.WaitForFinalStatusesAsync(server.User, [id], TimeSpan.FromSeconds(10), "enriched");
        Assert.Equal("enriched", statuses[id]);
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(id), 2, PastNextReminder, "calls after the re-check");
    }

    [Fact]
    public async Task A_track_still_unknown_after_the_recheck_stays_not_found()
    {
        var id = TestIds.Track();
        Upstream.SetAvailability(id, SongAvailability.NotFound);
        using (await server.User.GetAsync($"/api/tracks/{id}"))
        {
        }
        await TrackPolling.WaitUntilAsync(() => Upstream.Counters.CallsForTrack(id) == 2, TimeSpan.FromSeconds(30));
        var statuses = await TrackPolling.PeekStatusesAsync(server.User, [id]);
        Assert.Equal("notFound", statuses[id]);
        using (var again = await server.User.GetAsync($"/api/tracks/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(id), 2, PastNextReminder, "calls after the last re-check");
    }

    [Fact]
    public async Task Gone_is_final_at_once()
    {
        var id = TestIds.Track();
        Upstream.SetAvailability(id, SongAvailability.Gone);
        var track = await GetTrackAsync(id);
        Assert.Equal("failed", track.GetProperty("enrichment").GetProperty("status").GetString());
        Assert.Contains("410", track.GetProperty("enrichment").GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, track.GetProperty("enrichment").GetProperty("nextRetryAt").ValueKind);
        await TrackPolling.AssertStaysAsync(() => Upstream.Counters.CallsForTrack(id), 1, PastNextReminder, "calls for the 410 track");
    }

    private async Task<JsonElement> GetTrackAsync(string id)
    {
        using var response = await server.User.GetAsync($"/api/tracks/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("track");
    }
}

/// <summary>10 % of calls fail transiently: 500s, 502 pages, 503s, hangs past the client timeout, truncated JSON.</summary>
public class TenPercentFaultServer() : GatewayFixture(() => new EmulatorOptions
{
    Seed = 7,
    SoundCharts = new SoundChartsSettings { TransientFaultRate = 0.10, HangDuration = TimeSpan.FromSeconds(3) },
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "app-1", ApiKey = "emulator-key-one-0001", Quota = 100_000, RateLimit = 100_000 }],
}, new Dictionary<string, string?>
{
    ["SoundCharts:RequestTimeout"] = "00:00:00.500",
    ["Retry:Delays"] = "00:00:00,00:00:01,00:00:02",
    ["Retry:ReminderPeriod"] = "00:00:01",
});

public abstract class TransientFaultRecoveryTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : TenPercentFaultServer
{
    [Fact]
    public async Task At_least_99_percent_of_1000_tracks_end_enriched_under_10_percent_transient_faults()
    {
        var ids = TestIds.Tracks(1000);
        await Parallel.ForEachAsync(ids.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
        {
            using var response = await server.User.PostAsJsonAsync("/api/tracks/batch", new { trackIds = chunk }, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        var statuses = await TrackPolling.WaitForFinalStatusesAsync(server.User, ids, TimeSpan.FromSeconds(60));
        var enriched = statuses.Values.Count(s => s == "enriched");
        Assert.True(enriched >= 990, $"{enriched} of 1000 enriched");
        Assert.All(statuses.Values, s => Assert.Contains(s, new[] { "enriched", "failed" }));
        Assert.True(server.Emulator.State.SoundCharts.Counters.TotalFaults > 50, "the fault injection should have fired");
    }
}

public sealed class RetryTestsOnSqlite(FlakyServer server) : RetryTests<FlakyServer>(server);

public sealed class RetryTestsOnPostgres(FlakyServerOnPostgres server) : RetryTests<FlakyServerOnPostgres>(server);

public sealed class TransientFaultRecoveryTestsOnSqlite(TenPercentFaultServer server) : TransientFaultRecoveryTests<TenPercentFaultServer>(server);

public sealed class TransientFaultRecoveryTestsOnPostgres(TenPercentFaultServerOnPostgres server) : TransientFaultRecoveryTests<TenPercentFaultServerOnPostgres>(server);

public sealed class FlakyServerOnPostgres : FlakyServer
{
    public override bool OnPostgres => true;
}

public sealed class TenPercentFaultServerOnPostgres : TenPercentFaultServer
{
    public override bool OnPostgres => true;
}
