using System.Diagnostics;
using System.Net.Http.Json;
using TrackGrains.Tests.Sync;
using Npgsql;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Recommendations;

/// <summary>A PostgreSQL server whose index never looks for other writers' rows: only its own write reports keep it fresh.</summary>
public sealed class OwnWritesOnlyServer() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    ["Recommendations:RefreshInterval"] = "01:00:00",
})
{
    public override bool OnPostgres => true;
}

/// <summary>
/// A track this process enriched is in every answer that starts after it, including one that arrives while
/// another request is still re-reading the written rows. PostgreSQL makes that window as long as the test
/// wants: a lock on the tracks table holds the first request's re-read until it is released.
/// </summary>
public sealed class ConcurrentAnswerTests(OwnWritesOnlyServer server) : IClassFixture<OwnWritesOnlyServer>
{
    [Fact]
    public async Task A_request_arriving_while_another_re_reads_this_processs_writes_waits_for_them()
    {
        var catalogue = TestIds.Tracks(30);
        using (var batch = await server.Admin.PostAsJsonAsync("/api/tracks/batch", new { trackIds = catalogue }))
        {
            batch.EnsureSuccessStatusCode();
        }
        var seed = (await PoolTrack.ReadAsync(server.Database)).First().Id;
        var url = $"/v1/recommendations?seed_tracks={seed}&limit=100";
        Assert.NotEmpty(await PicksAsync(url));

        var added = TestIds.TrackWithAudio(server.Emulator);
        using (var response = await server.Admin.GetAsync($"/api/tracks/{added}"))
        {
            response.EnsureSuccessStatusCode();
        }

        Task<List<string>> first, second;
        await using (var blocker = new NpgsqlConnection(server.Database.PostgresConnectionString + ";Pooling=false"))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockTracks = new NpgsqlCommand("LOCK TABLE tracks IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTracks.ExecuteNonQueryAsync();
            }

            // The first request takes the reported write and waits on the table to re-read it.
            first = PicksAsync(url);
            await TrackPolling.WaitUntilAsync(async () => await SessionsWaitingOnLocksAsync() >= 1, TimeSpan.FromSeconds(30),
                () => "the first request never waited on the locked table");

            // The second starts now. Had it answered from the index as it stands, it would go on to read its picks'
            // rows and wait on the table too: give it two seconds to show that, then let both go.
            second = PicksAsync(url);
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(2) && await SessionsWaitingOnLocksAsync() < 2 && !second.IsCompleted)
            {
                await Task.Delay(20);
            }
            await transaction.CommitAsync();
        }

        Assert.Contains(added, await first);
        Assert.Contains(added, await second);
    }

    [Fact]
    public async Task A_request_given_up_during_the_re_read_leaves_the_writes_for_the_next_answer()
    {
        var catalogue = TestIds.Tracks(10);
        using (var batch = await server.Admin.PostAsJsonAsync("/api/tracks/batch", new { trackIds = catalogue }))
        {
            batch.EnsureSuccessStatusCode();
        }
        var seed = (await PoolTrack.ReadAsync(server.Database)).First(t => catalogue.Contains(t.Id)).Id;
        var url = $"/v1/recommendations?seed_tracks={seed}&limit=100";
        Assert.NotEmpty(await PicksAsync(url));

        var added = TestIds.TrackWithAudio(server.Emulator);
        using (var response = await server.Admin.GetAsync($"/api/tracks/{added}"))
        {
            response.EnsureSuccessStatusCode();
        }

        await using (var blocker = new NpgsqlConnection(server.Database.PostgresConnectionString + ";Pooling=false"))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockTracks = new NpgsqlCommand("LOCK TABLE tracks IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTracks.ExecuteNonQueryAsync();
            }

            // The caller gives up while its request waits to re-read the reported write; the server's query is cancelled.
            using var giveUp = new CancellationTokenSource();
            var abandoned = server.Admin.GetAsync(url, giveUp.Token);
            await TrackPolling.WaitUntilAsync(async () => await SessionsWaitingOnLocksAsync() >= 1, TimeSpan.FromSeconds(30),
                () => "the request never waited on the locked table");
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
            await TrackPolling.WaitUntilAsync(async () => await SessionsWaitingOnLocksAsync() == 0, TimeSpan.FromSeconds(30),
                () => "the abandoned request's query was not cancelled");
            await transaction.CommitAsync();
        }

        Assert.Contains(added, await PicksAsync(url));
    }

    private async Task<List<string>> PicksAsync(string url)
    {
        var body = await SyncApi.GetJsonAsync(server.Admin, url);
        return body.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
    }

    private Task<long> SessionsWaitingOnLocksAsync() => DatabaseProbe.CountAsync(server.Database,
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");

}
