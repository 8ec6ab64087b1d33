using Microsoft.Extensions.Hosting;
using TrackGrains.Silo.Storage;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Storage;

/// <summary>Starts a real single-silo host on the storage under test.</summary>
internal static class TestSilo
{
    // Grain state and reminders are keyed by ServiceId: every host in a test must share it to
    // see what an earlier host stored.
    public const string ServiceId = "trackgrains-storage-tests";
    public const string ClusterId = "trackgrains-storage-tests";

    public static async Task<IHost> StartAsync(SqliteConnectionSource source, Action<ISiloBuilder>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: ServiceId, clusterId: ClusterId);
            silo.UseTrackSqliteStorage(source);
            configure?.Invoke(silo);
        });

        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return host;
    }

    public static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }

    public static IGrainFactory Grains(this IHost host) =>
        (IGrainFactory)host.Services.GetService(typeof(IGrainFactory))!;
}
