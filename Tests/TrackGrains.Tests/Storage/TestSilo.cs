using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using TrackGrains.Silo.Storage;

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
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: ServiceId, clusterId: ClusterId);
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

    /// <summary>A port free right now; tests in other collections may run silos in parallel.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
