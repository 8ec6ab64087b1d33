using System.Collections.Concurrent;
using System.Net;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Keys;

/// <summary>One key with 100 calls of quota; answers take 400 ms, so concurrent calls are all granted before the first answer.</summary>
public class SlowAnswersKeyServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundCharts = new SoundChartsSettings { Latency = TimeSpan.FromMilliseconds(400) },
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "restored", ApiKey = "restored-secret-4444", Quota = 100, RateLimit = 100_000 }],
}, new Dictionary<string, string?>
{
    // A 2 s client timeout on a loaded machine would count a good call as possibly billed.
    ["SoundCharts:RequestTimeout"] = "00:00:15",
})
{
    public const string AppId = "restored";
}

public sealed class SlowAnswersKeyServerOnPostgres : SlowAnswersKeyServer
{
    public override bool OnPostgres => true;
}

/// <summary>
/// A key grain's activation can end without its last accounting being stored (its silo killed), and the quota the
/// next activation reads back is then stale.
/// </summary>
public abstract class KeyRestoredFromStorageTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : SlowAnswersKeyServer
{
    [Fact]
    public async Task A_key_whose_stored_quota_is_stale_spends_no_call_past_its_real_quota()
    {
        var counters = server.Emulator.State.SoundCharts.Counters;
        using (var first = await server.User.GetAsync($"/api/tracks/{TestIds.Track()}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // The server stops with 99 calls of quota stored; meanwhile the key spent all but 5 elsewhere, as calls a killed
        // silo granted after its last write of the key did.
        server.Emulator.State.SoundCharts.Keys.Single(k => k.Options.AppId == SlowAnswersKeyServer.AppId).SetQuotaRemaining(5);
        await server.RestartAsync();
        Assert.Equal(99, await DatabaseProbe.CountAsync(server.Database, "SELECT quota_remaining FROM api_keys WHERE app_id = @app",
            ("@app", SlowAnswersKeyServer.AppId)));

        var ids = TestIds.Tracks(30);
        var statuses = new ConcurrentDictionary<string, HttpStatusCode>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = ids.Count }, async (id, ct) =>
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}", ct);
            statuses[id] = response.StatusCode;
        });

        Assert.Equal(0, counters.CallsAfterQuotaExhausted(SlowAnswersKeyServer.AppId));
        Assert.Equal(0, counters.QuotaExceeded);
        Assert.Equal(1 + 5, counters.SongCalls);
        Assert.Equal(5, statuses.Values.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Values, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
    }
}

/// <summary>
/// When a silo that held a key grain's directory entry dies, a second activation of the key can start while the first
/// still runs, and write the key's state under it. The running one's next write then fails on the version, and Orleans
/// replaces an activation that lets that error escape (a grain timer's tick included): the replacement reads what is
/// stored, whose quota <see cref="KeyRestoredFromStorageTests{TServer}"/> shows is probed before it is trusted. This
/// guards that chain: an activation that caught the error and ran on would never store its accounts again.
/// </summary>
public abstract class KeyStateConflictTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : SlowAnswersKeyServer
{
    [Fact]
    public async Task A_key_whose_state_another_activation_wrote_is_replaced_and_its_accounts_are_stored_again()
    {
        using (var first = await server.User.GetAsync($"/api/tracks/{TestIds.Track()}"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await TrackPolling.WaitUntilAsync(async () => await StoredTotalRequestsAsync() == 1, TimeSpan.FromSeconds(15),
            () => "the key's first call was never stored");

        // The other activation's write: the running one's version of the state is now out of date.
        Assert.Equal(1, await DatabaseProbe.ExecuteAsync(server.Database,
            "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainTypeString = 'apikey'"));

        // Calls go on through the key, one at a time. Its next write fails on the version; an activation that ran on
        // would fail every write after it too, and its stored accounts (the key list, the quota the next activation
        // starts from) would never move again.
        long stored = 1;
        await TrackPolling.WaitUntilAsync(async () =>
        {
            using var response = await server.User.GetAsync($"/api/tracks/{TestIds.Track()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            stored = await StoredTotalRequestsAsync();
            return stored > 1;
        }, TimeSpan.FromSeconds(20), () => $"the key's stored total stayed at {stored}");
        // The write did fail on the version: it is the replacement whose writes moved the total.
        Assert.Contains(server.Logs.Lines, line => line.Contains("apikey during WriteStateAsync", StringComparison.Ordinal));
        Assert.Equal(0, server.Emulator.State.SoundCharts.Counters.QuotaExceeded);
    }

    private Task<long> StoredTotalRequestsAsync() =>
        DatabaseProbe.CountAsync(server.Database, "SELECT total_requests FROM api_keys WHERE app_id = @app", ("@app", SlowAnswersKeyServer.AppId));
}

public sealed class KeyRestoredFromStorageTestsOnSqlite(SlowAnswersKeyServer server) : KeyRestoredFromStorageTests<SlowAnswersKeyServer>(server);

public sealed class KeyRestoredFromStorageTestsOnPostgres(SlowAnswersKeyServerOnPostgres server) : KeyRestoredFromStorageTests<SlowAnswersKeyServerOnPostgres>(server);

public sealed class KeyStateConflictTestsOnSqlite(SlowAnswersKeyServer server) : KeyStateConflictTests<SlowAnswersKeyServer>(server);

public sealed class KeyStateConflictTestsOnPostgres(SlowAnswersKeyServerOnPostgres server) : KeyStateConflictTests<SlowAnswersKeyServerOnPostgres>(server);
