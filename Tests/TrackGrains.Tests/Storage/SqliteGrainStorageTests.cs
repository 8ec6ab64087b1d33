using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using TrackGrains.Silo.Storage;
using Xunit.Abstractions;

namespace TrackGrains.Tests.Storage;

[Collection(StorageTestCollection.Name)]
public sealed class SqliteGrainStorageTests(ITestOutputHelper output) : IDisposable
{
    // The provider stores the [PersistentState] name as the grain type, not the grain class.
    private const string ProbeRowsSql = "FROM OrleansStorage WHERE GrainTypeString = 'probe'";

    private readonly TempDatabase _database = new();

    [Fact]
    public async Task State_written_in_one_host_is_read_by_a_new_host_on_the_same_file()
    {
        using var source = new SqliteConnectionSource(_database.DatabasePath);

        var first = await TestSilo.StartAsync(source);
        Assert.Equal(1, await first.Grains().GetGrain<IStorageProbeGrain>("survivor").Write(42, "hello"));
        await TestSilo.StopAsync(first);

        var second = await TestSilo.StartAsync(source);
        try
        {
            var grain = second.Grains().GetGrain<IStorageProbeGrain>("survivor");
            var state = await grain.Read();
            Assert.Equal(42, state.Value);
            Assert.Equal(1, state.Writes);
            Assert.Equal("hello", state.Note);
            Assert.Equal("1", await grain.ETag());

            Assert.Equal(2, await grain.Write(43));
            Assert.Equal("2", await grain.ETag());
        }
        finally
        {
            await TestSilo.StopAsync(second);
        }

        Assert.Equal(2L, _database.Scalar<long>($"SELECT Version {ProbeRowsSql}"));
        Assert.Equal(1L, _database.Scalar<long>($"SELECT COUNT(*) {ProbeRowsSql}"));
    }

    [Fact]
    public async Task Clear_keeps_the_version_and_a_stale_version_is_a_conflict()
    {
        using var source = new SqliteConnectionSource(_database.DatabasePath);
        var host = await TestSilo.StartAsync(source);
        try
        {
            var grain = host.Grains().GetGrain<IStorageProbeGrain>("cleared");
            await grain.Write(7);
            await grain.Clear();
            Assert.Equal(0, (await grain.Read()).Value);
            Assert.Equal("2", await grain.ETag());
            Assert.Equal(1, await grain.Write(8));
            Assert.Equal("3", await grain.ETag());

            // Someone else wrote the row: this activation's ETag is stale.
            using (var connection = _database.OpenInspector())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainTypeString = 'probe' AND GrainIdExtensionString = 'cleared'";
                command.ExecuteNonQuery();
            }

            await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Write(9));
        }
        finally
        {
            await TestSilo.StopAsync(host);
        }
    }

    [Fact]
    public async Task All_persistence_queries_including_delete_on_clear_follow_the_provider_contract()
    {
        using var source = new SqliteConnectionSource(_database.DatabasePath);
        const string deletingStorage = "delete-on-clear";
        var host = await TestSilo.StartAsync(source, silo => silo.AddAdoNetGrainStorage(deletingStorage, options =>
            options.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = SqliteOrleansStorage.Invariant;
                o.DataSource = source;
                o.DeleteStateOnClear = true;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            })));
        try
        {
            var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(deletingStorage);
            var grainId = GrainId.Create("storage-probe", "direct");
            const string grainType = "StorageProbeDirect";

            var probe = new StorageProbeState { Value = 1 };
            var state = new GrainState<StorageProbeState>(probe);
            await storage.WriteStateAsync(grainType, grainId, state);
            Assert.Equal("1", state.ETag);

            // A second writer that never read the row must not overwrite it.
            var blind = new GrainState<StorageProbeState>(new StorageProbeState { Value = 99 });
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(grainType, grainId, blind));

            probe.Value = 2;
            await storage.WriteStateAsync(grainType, grainId, state);
            Assert.Equal("2", state.ETag);

            var read = new GrainState<StorageProbeState>(new StorageProbeState());
            await storage.ReadStateAsync(grainType, grainId, read);
            Assert.Equal(2, read.State?.Value);
            Assert.Equal("2", read.ETag);
            Assert.True(read.RecordExists);

            await storage.ClearStateAsync(grainType, grainId, state);
            Assert.Null(state.ETag);
            Assert.False(state.RecordExists);
            Assert.Equal(0L, _database.Scalar<long>("SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'StorageProbeDirect'"));

            state.State = new StorageProbeState { Value = 3 };
            await storage.WriteStateAsync(grainType, grainId, state);
            Assert.Equal("1", state.ETag);
        }
        finally
        {
            await TestSilo.StopAsync(host);
        }
    }

    [Fact]
    public Task A_write_blocked_by_an_outside_lock_fails_cleanly_and_later_writes_succeed() =>
        AssertBlockedWriteFailsCleanlyAsync(() => Task.FromResult<IAsyncDisposable>(new InProcessWriteLock(_database.OpenInspector())));

    [Fact]
    public Task A_write_blocked_by_another_process_fails_cleanly_and_later_writes_succeed() =>
        AssertBlockedWriteFailsCleanlyAsync(() => ProcessWriteLock.TakeAsync(_database.DatabasePath));

    private async Task AssertBlockedWriteFailsCleanlyAsync(Func<Task<IAsyncDisposable>> holdWriteLock)
    {
        // A short busy timeout and command timeout so the blocked write gives up quickly.
        using var source = new SqliteConnectionSource(
            _database.DatabasePath,
            busyTimeout: TimeSpan.FromMilliseconds(200),
            commandTimeout: TimeSpan.FromSeconds(1));
        var host = await TestSilo.StartAsync(source);
        try
        {
            var grains = host.Grains();
            var blocked = grains.GetGrain<IStorageProbeGrain>("blocked");
            await blocked.Write(1);

            var elapsed = Stopwatch.StartNew();
            await using (await holdWriteLock())
            {
                var failure = await Assert.ThrowsAnyAsync<Exception>(() => blocked.Write(2));
                output.WriteLine($"Blocked write failed after {elapsed.ElapsedMilliseconds} ms: {failure.GetType().Name}: {failure.Message}");
                Assert.Contains("locked", failure.ToString(), StringComparison.OrdinalIgnoreCase);
            }

            // Well inside Orleans' 30 s response timeout: the caller got the real error, not a timeout.
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"the blocked write took {elapsed.Elapsed}");

            // Every pooled connection must be usable again, for this grain and for others.
            Assert.Equal(2, await blocked.Write(3));
            var others = Enumerable.Range(0, 20).Select(i => grains.GetGrain<IStorageProbeGrain>($"after-{i}")).ToArray();
            for (var round = 1; round <= 3; round++)
            {
                var writes = await Task.WhenAll(others.Select(g => g.Write(round)));
                Assert.All(writes, w => Assert.Equal(round, w));
            }

            // BEGIN IMMEDIATE failed before opening a transaction, so nothing had to be healed.
            Assert.Equal(0, source.AbandonedTransactionsRolledBack);
        }
        finally
        {
            await TestSilo.StopAsync(host);
        }

        Assert.Equal(2L, _database.Scalar<long>($"SELECT Version {ProbeRowsSql} AND GrainIdExtensionString = 'blocked'"));
    }

    [Fact]
    public async Task Two_thousand_grains_times_five_concurrent_writes_complete_without_timeouts()
    {
        const int grainCount = 2_000;
        const int writesPerGrain = 5;
        using var source = new SqliteConnectionSource(_database.DatabasePath);
        var host = await TestSilo.StartAsync(source);
        try
        {
            var grains = host.Grains();
            var elapsed = Stopwatch.StartNew();
            var calls = Enumerable.Range(0, grainCount)
                .SelectMany(g => Enumerable.Range(1, writesPerGrain)
                    .Select(w => grains.GetGrain<IStorageProbeGrain>($"load-{g}").Write(w)))
                .ToArray();
            await Task.WhenAll(calls);
            elapsed.Stop();

            var writesPerSecond = grainCount * writesPerGrain / elapsed.Elapsed.TotalSeconds;
            output.WriteLine($"{grainCount * writesPerGrain} writes in {elapsed.Elapsed.TotalSeconds:F1} s ({writesPerSecond:F0} writes/s)");
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), $"took {elapsed.Elapsed}");
        }
        finally
        {
            await TestSilo.StopAsync(host);
        }

        Assert.Equal($"{grainCount} | {writesPerGrain} | {writesPerGrain}",
            _database.Rows($"SELECT COUNT(*), MIN(Version), MAX(Version) {ProbeRowsSql}").Single());
    }

    public void Dispose() => _database.Dispose();
}
