using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;
using Xunit.Abstractions;

namespace TrackGrains.Tests.Cluster;

/// <summary>
/// The cluster the PostgreSQL provider exists for: three Silo processes and a gateway in client mode on
/// one PostgreSQL database, one silo killed with SIGKILL in the middle of enriching new tracks.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class PostgresClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminToken = "pg-cluster-admin-token-0123456789";
    private const int TrackCount = 600;
    private const string UserToken = "pg-cluster-user-token";

    // About 5 % of songs are unknown (free 404s); some faults are billed. Keys of different sizes, so
    // rotation moves between them; a key that overspent would meet the emulator's quota 429s. Together they
    // pay for the worst case the SPEC allows: a batch sends all its tracks at once, so every track can be in
    // flight on the silo that dies and be paid twice (one run paid 358 twice), plus the billed faults.
    private static readonly SoundChartsKeyOptions[] Keys =
    [
        new() { AppId = "pg-app-1", ApiKey = "pg-cluster-key-0001", Quota = 400, RateLimit = 100_000 },
        new() { AppId = "pg-app-2", ApiKey = "pg-cluster-key-0002", Quota = 500, RateLimit = 100_000 },
        new() { AppId = "pg-app-3", ApiKey = "pg-cluster-key-0003", Quota = 600, RateLimit = 100_000 },
    ];

    /// <summary>A silo's log line for a SoundCharts call it stopped waiting for.</summary>
    private static readonly Regex GivenUpCall = new(@"Track (?<id>[0-9A-Za-z]+): [^\n]*did not answer within", RegexOptions.Compiled);

    private ProcessStage _stage = null!;
    private TestDatabase _database = null!;
    private readonly List<DotnetProcess> _processes = [];

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-pg-cluster-", new EmulatorOptions
        {
            Seed = 11,
            SoundCharts = new SoundChartsSettings
            {
                TransientFaultRate = 0.10,
                NotFoundRate = 0.05,
                HangDuration = TimeSpan.FromSeconds(4),
                // Calls take a while, so some are in flight when the silo dies.
                Latency = TimeSpan.FromMilliseconds(150),
                LatencyJitter = TimeSpan.FromMilliseconds(100),
            },
            SoundChartsKeys = [.. Keys],
            // Slow pages, so a sync is still running when its silo is killed.
            Spotify = new TrackGrains.Emulator.Spotify.SpotifySettings { Latency = TimeSpan.FromMilliseconds(400) },
            SpotifyUsers = [new TrackGrains.Emulator.Spotify.SpotifyUserOptions { Token = UserToken, UserId = "pg-cluster-user", LibrarySize = 400 }],
        });
        _database = TestDatabase.Postgres(await (await PostgresServer.Shared).CreateDatabaseAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await (await PostgresServer.Shared).DropDatabaseAsync(_database.PostgresConnectionString!);
        await _stage.DisposeAsync();
    }

    [Fact]
    public async Task Killing_one_of_three_silos_mid_enrichment_loses_no_track_overspends_no_key_and_the_silo_rejoins()
    {
        var (siloSettings, silos) = await StartSilosAsync(3);
        await using var gateway = await StartClientGatewayAsync();
        using var admin = gateway.Client(AdminToken, TimeSpan.FromSeconds(120));
        var counters = _stage.Emulator.State.SoundCharts.Counters;

        var ids = TestIds.Tracks(TrackCount);
        var requests = Task.WhenAll(ids.Chunk(100).Select(chunk => RequestAsync(admin, chunk)));

        await TrackPolling.WaitUntilAsync(() => counters.Ok >= 120, TimeSpan.FromSeconds(90));
        var victim = silos[1];
        var paidAtKill = counters.Ok;
        var killStarted = DateTimeOffset.UtcNow;
        var deadline = Stopwatch.StartNew();
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"killed silo 2 after {paidAtKill} paid calls, in {(killedAt - killStarted).TotalSeconds:F2} s");
        var declaredDead = Task.Run(async () =>
        {
            await TrackPolling.WaitUntilAsync(async () => await DeadSilosAsync() >= 1, TimeSpan.FromSeconds(60), () => "the killed silo was not declared dead");
            return deadline.Elapsed;
        });

        // Requests routed through the dead silo fail; the others go on. Then every track is asked for
        // until it is final: reads never start an early attempt, so this polling spends nothing.
        await requests;
        var statuses = await WaitForFinalAsync(admin, ids, TimeSpan.FromSeconds(150));
        var unfinished = statuses.Where(s => s.Value is not ("enriched" or "notFound")).ToList();
        output.WriteLine("tracks paid twice, arrival of their first and second paid calls, s after the kill: " + string.Join(" ", counters.TracksPaidMoreThanOnce()
            .Select(id => counters.PaidAnswersForTrack(id)).Select(t => $"{(t[0] - killStarted).TotalSeconds:F1}/{(t[1] - killStarted).TotalSeconds:F1}")));
        if (unfinished.Count > 0)
        {
            output.WriteLine($"paid {counters.Ok}, song calls {counters.SongCalls}, 404 {counters.NotFound}, 429q {counters.QuotaExceeded}, 429r {counters.RateLimited}");
            output.WriteLine(await admin.GetStringAsync("/api/keys/list"));
            await ExplainUnfinishedAsync(unfinished.Take(5).Select(s => s.Key));
        }
        Assert.True(unfinished.Count == 0, $"not final: {string.Join(", ", unfinished.Take(10).Select(s => $"{s.Key}={s.Value}"))}");

        // A dead silo is declared dead in the membership table within about 30 s.
        var deathTook = await declaredDead;
        output.WriteLine($"declared dead {deathTook.TotalSeconds:F1} s after the kill");
        Assert.True(deathTook < TimeSpan.FromSeconds(30), $"declared dead only after {deathTook}");

        // No key past its quota: the emulator saw no call after a key's quota was spent, and no quota 429.
        if (Keys.Any(key => counters.CallsAfterQuotaExhausted(key.AppId) > 0) || counters.QuotaExceeded > 0)
        {
            output.WriteLine(string.Join("; ", Keys.Select(key => $"{key.AppId}: {counters.CallsForKey(key.AppId)} calls, {counters.CallsAfterQuotaExhausted(key.AppId)} after its quota was spent")));
            // What the silos said about their keys: deactivations, low-quota warnings, and key state writes that failed.
            foreach (var (process, index) in _processes.Select((p, i) => (p, i)))
            {
                foreach (var line in process.AllOutput.Split('\n').Where(l => l.Contains("SoundCharts key", StringComparison.Ordinal) || l.Contains("apikey", StringComparison.Ordinal)))
                {
                    output.WriteLine($"  process {index}: {(line.Length > 300 ? line[..300] : line)}");
                }
            }
        }
        foreach (var key in Keys)
        {
            Assert.Equal(0, counters.CallsAfterQuotaExhausted(key.AppId));
            Assert.True(counters.CallsForKey(key.AppId) > 0, $"{key.AppId} was never used");
        }
        Assert.Equal(0, counters.QuotaExceeded);

        // Paid twice only if the first paid call was in flight on the dead silo when it died, or if a silo gave up
        // waiting for its answer (SPEC: a call that times out after SoundCharts billed it is paid again, by design;
        // on a loaded machine a stall of the request timeout is rare but happens). A paid answer the cluster threw
        // away for any other reason fails here.
        var paidTwice = counters.TracksPaidMoreThanOnce();
        var givenUpOn = CallsGivenUpOn();
        output.WriteLine($"{paidTwice.Count} tracks paid twice; {counters.TotalFaults} faults injected; {givenUpOn.Values.Sum()} calls timed out at the silos");
        foreach (var id in paidTwice)
        {
            var paid = counters.PaidAnswersForTrack(id);
            var inFlightAtKill = paid[0] <= killedAt && paid[0] >= killStarted - TimeSpan.FromSeconds(10);
            var givenUp = givenUpOn.GetValueOrDefault(id);
            output.WriteLine($"{id}: paid calls arrived {string.Join(", ", paid.Select(t => $"{(t - killStarted).TotalSeconds:F2}"))} s after the kill; "
                + $"{givenUp} of its calls timed out at a silo");
            Assert.True(inFlightAtKill || givenUp >= paid.Count - 1,
                $"{id} was paid {paid.Count} times; its first paid call (at {paid[0]:O}) was not in flight at the kill ({killedAt:O}) and no silo timed out on it");
        }
        Assert.True(counters.TotalFaults > 20, "the fault injection should have fired");

        // The killed silo restarts, rejoins, and the cluster serves new tracks.
        // Same ports, new generation: the old row is already dead, so it is not "an older clone".
        silos[1] = StartSilo(siloSettings[1]);
        await WaitForActiveSilosAsync(3, TimeSpan.FromSeconds(90));
        var fresh = TestIds.Tracks(30);
        var after = await WaitForFinalAsync(admin, fresh, TimeSpan.FromSeconds(60));
        Assert.All(fresh, id => Assert.Contains(after[id], new[] { "enriched", "notFound" }));
        givenUpOn = CallsGivenUpOn();
        Assert.All(fresh, id => Assert.True(counters.PaidAnswersForTrack(id).Count <= 1 + givenUpOn.GetValueOrDefault(id), $"{id} paid twice"));
    }

    [Fact]
    public async Task A_sync_running_on_a_silo_that_dies_ends_failed_not_running_and_a_new_sync_completes()
    {
        var (_, silos) = await StartSilosAsync(2);
        await using var gateway = await StartClientGatewayAsync();
        try
        {
            await SyncOnADyingSiloAsync(silos, gateway);
        }
        catch
        {
            output.WriteLine($"gateway {gateway.ProcessState}; its last lines:{Environment.NewLine}{gateway.RecentOutput}");
            throw;
        }
    }

    private async Task SyncOnADyingSiloAsync(DotnetProcess[] silos, GatewayServer gateway)
    {
        using var user = gateway.Client(UserToken, TimeSpan.FromSeconds(60));

        using var start = await user.PostAsync("/api/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var syncId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("syncId").GetString()!;

        // The library's grain logs the start of its sync in the silo that runs it: kill that silo.
        DotnetProcess? host = null;
        await TrackPolling.WaitUntilAsync(() => (host = silos.FirstOrDefault(s => s.RecentOutput.Contains($"sync {syncId} started"))) is not null,
            TimeSpan.FromSeconds(30));
        await host!.KillAsync();

        // Asked again, the library comes back on the survivor: the sync is over (failed, interrupted), never stuck running.
        string? state = null;
        JsonElement status = default;
        await TrackPolling.WaitUntilAsync(async () =>
        {
            using var response = await user.GetAsync($"/api/sync/{syncId}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }
            status = await response.Content.ReadFromJsonAsync<JsonElement>();
            state = status.GetProperty("state").GetString();
            return state != "running";
        }, TimeSpan.FromSeconds(90), () => $"sync state {state}");
        Assert.Equal("failed", state);
        Assert.Contains("start the sync again", status.ToString(), StringComparison.OrdinalIgnoreCase);

        // And it can be started again, to completion, on the cluster that is left.
        using var again = await user.PostAsync("/api/sync?wait=true", null);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(again.StatusCode == HttpStatusCode.OK, body.ToString());
        var library = await user.GetFromJsonAsync<JsonElement>("/api/library?limit=1");
        Assert.Equal(body.GetProperty("stats").GetProperty("total").GetInt32(), library.GetProperty("total").GetInt32());
        Assert.True(library.GetProperty("total").GetInt32() > 300);
    }

    private async Task RequestAsync(HttpClient client, IReadOnlyList<string> ids)
    {
        var elapsed = Stopwatch.StartNew();
        try
        {
            using var response = await client.PostAsJsonAsync("/api/tracks/batch", new { trackIds = ids });
            output.WriteLine($"batch answered {(int)response.StatusCode} after {elapsed.Elapsed.TotalSeconds:F1} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            output.WriteLine($"batch failed after {elapsed.Elapsed.TotalSeconds:F1} s: {ex.Message}");
            // A batch whose grains were on the dead silo may fail as a whole; the tracks are asked for again below.
        }
    }

    /// <summary>
    /// Per track, how many of its SoundCharts calls a silo stopped waiting for (the client's request timeout), as the
    /// silos logged them ("Track {id}: ... did not answer within ..."). Reads each silo's output once.
    /// </summary>
    private Dictionary<string, int> CallsGivenUpOn() => _processes
        .SelectMany(process => GivenUpCall.Matches(process.AllOutput))
        .GroupBy(match => match.Groups["id"].Value)
        .ToDictionary(group => group.Key, group => group.Count());

    /// <summary>What the silos logged about tracks that never became final, and whether a retry reminder is stored for them.</summary>
    private async Task ExplainUnfinishedAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            var reminders = await DatabaseProbe.ColumnAsync(_database,
                "SELECT GrainId || ' ' || ReminderName || ' ' || StartTime || ' ' || Period FROM OrleansRemindersTable WHERE GrainId LIKE @id",
                ("@id", $"%{id}%"));
            output.WriteLine($"{id}: reminders [{string.Join("; ", reminders)}]");
            for (var i = 0; i < _processes.Count; i++)
            {
                var lines = _processes[i].AllOutput.Split('\n');
                for (var line = 0; line < lines.Length; line++)
                {
                    if (lines[line].Contains(id, StringComparison.Ordinal))
                    {
                        output.WriteLine($"  process {i}: " + string.Join(" | ", lines.Skip(line).Take(4)).Trim());
                    }
                }
            }
        }
    }

    /// <summary>Asks for the tracks in batches until each is final, tolerating answers that fail while the cluster heals.</summary>
    private static async Task<Dictionary<string, string>> WaitForFinalAsync(HttpClient client, IReadOnlyList<string> ids, TimeSpan timeout)
    {
        var statuses = ids.ToDictionary(id => id, _ => "unknown");
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < timeout)
        {
            var open = statuses.Where(s => s.Value is not ("enriched" or "notFound" or "failed")).Select(s => s.Key).ToList();
            if (open.Count == 0)
            {
                break;
            }
            foreach (var chunk in open.Chunk(100))
            {
                using var response = await client.PostAsJsonAsync("/api/tracks/batch", new { trackIds = chunk });
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                foreach (var track in body.GetProperty("tracks").EnumerateArray())
                {
                    statuses[track.GetProperty("id").GetString()!] = track.GetProperty("enrichment").GetProperty("status").GetString()!;
                }
            }
            await Task.Delay(500);
        }
        return statuses;
    }

    private async Task<(Dictionary<string, string?>[] Settings, DotnetProcess[] Silos)> StartSilosAsync(int count)
    {
        var settings = Enumerable.Range(0, count).Select(_ => SiloSettings()).ToArray();
        var silos = settings.Select(StartSilo).ToArray();
        await WaitForActiveSilosAsync(count, TimeSpan.FromSeconds(90));
        return (settings, silos);
    }

    /// <summary>A gateway that hosts no grains and knows no key: everything it serves comes from the silos.</summary>
    private Task<GatewayServer> StartClientGatewayAsync() =>
        GatewayServer.StartAsync(Settings(importKeys: false).With(new Dictionary<string, string?> { ["Cluster:Role"] = "client" }), _stage.Folder);

    private Dictionary<string, string?> SiloSettings() => Settings(importKeys: true).With(new Dictionary<string, string?>
    {
        ["Cluster:GatewayPort"] = FreePort.Next().ToString(),
    });

    private DotnetProcess StartSilo(Dictionary<string, string?> settings)
    {
        var silo = DotnetProcess.Start("Silo.dll", [], settings, _stage.Folder);
        _processes.Add(silo);
        return silo;
    }

    private Dictionary<string, string?> Settings(bool importKeys) =>
        _stage.Settings(AdminToken, importKeys ? null : _ => false).With(_database.Settings(_stage.Folder)).With(new Dictionary<string, string?>
        {
            ["Cluster:Clustering"] = "postgres",
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            // Well above the emulator's latency even on a loaded 2-core machine: a call that times out after
            // SoundCharts billed it is paid twice by design (SPEC: billed faults), which is not what this test is about.
            ["SoundCharts:RequestTimeout"] = "00:00:02",
            ["SoundCharts:MaxPermitWait"] = "00:00:03",
            ["SoundCharts:TransientRetryDelay"] = "00:00:00.020",
            ["Retry:Delays"] = "00:00:00,00:00:01,00:00:02",
            ["Retry:ReminderPeriod"] = "00:00:01",
            ["Retry:NotFoundRecheck"] = "01:00:00",
        });

    private async Task WaitForActiveSilosAsync(int count, TimeSpan timeout)
    {
        long active = 0;
        await TrackPolling.WaitUntilAsync(async () =>
        {
            foreach (var process in _processes.Where(p => p.HasExited && p.ExitCode != 137 && p.ExitCode != -1))
            {
                throw new InvalidOperationException($"A silo exited with {process.ExitCode}: {process.RecentOutput}");
            }
            return (active = await CountMembersAsync(3)) >= count;
        }, timeout, () => $"{active} active silos");
    }

    private Task<long> DeadSilosAsync() => CountMembersAsync(6);

    /// <summary>Orleans' SiloStatus: 3 = Active, 6 = Dead.</summary>
    private async Task<long> CountMembersAsync(int status)
    {
        try
        {
            return await DatabaseProbe.CountAsync(_database, "SELECT COUNT(*) FROM OrleansMembershipTable WHERE Status = @status", ("@status", status));
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0; // No silo has applied the schema yet.
        }
    }
}
