using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Usage;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

/// <summary>The server's background loops outlive a failed round, whatever the round threw.</summary>
public sealed class BackgroundWorkTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_usage_round_whose_registry_call_is_canceled_by_a_dying_silo_ends_neither_the_flushes_nor_the_server()
    {
        var flushes = server.Services.GetServices<IHostedService>().OfType<UsageFlushService>().Single();
        var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();
        void AssertStillRunning()
        {
            Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the server is stopping: a background round's exception ended it");
            Assert.False(flushes.ExecuteTask!.IsCompleted, $"the flush loop ended: {flushes.ExecuteTask.Exception}");
        }

        // A call in flight to a silo that dies ends in an OperationCanceledException, not only in Orleans' own exceptions.
        server.Outage.FailNext(nameof(IKeyRegistryGrain.GetKeyIdsAsync),
            exception: () => new OperationCanceledException("test: the registry's silo died with the call in flight"));
        await TrackPolling.WaitUntilAsync(() => Task.FromResult(server.Outage.Pending == 0), TimeSpan.FromSeconds(30), () => "no round asked the key registry");
        await Task.Yield();
        AssertStillRunning();

        // A later round still runs: a request's count reaches usage_stats with nobody asking for the statistics.
        const string Requests = "SELECT COALESCE(SUM(total_requests), 0) FROM usage_stats";
        var before = await DatabaseProbe.CountAsync(server.Database, Requests);
        using (var response = await server.User.GetAsync($"/api/tracks/{TestIds.Track()}"))
        {
            response.EnsureSuccessStatusCode();
        }
        await TrackPolling.WaitUntilAsync(async () =>
        {
            AssertStillRunning();
            return await DatabaseProbe.CountAsync(server.Database, Requests) > before;
        }, TimeSpan.FromSeconds(30), () => "the request was never flushed to usage_stats");
    }
}
