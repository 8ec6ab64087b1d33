using System.Security.Cryptography;
using TrackGrains.Emulator;
using TrackGrains.Testing;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// One measurement's world: an in-process emulator, a gateway process on a fresh SQLite file in a
/// temporary folder, and the settings that join them. Every key the emulator has at start becomes
/// a server key unless it is listed in <c>benchmarkOnlyKeys</c> (keys the benchmark uses to call
/// the emulator directly).
/// </summary>
public sealed class Stage : IAsyncDisposable
{
    private Stage(UpstreamEmulator emulator, GatewayServer gateway, string folder, string adminToken)
    {
        Emulator = emulator;
        Gateway = gateway;
        Folder = folder;
        AdminToken = adminToken;
    }

    public UpstreamEmulator Emulator { get; }

    public GatewayServer Gateway { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "tracks.db");

    /// <summary>Random per stage and never printed.</summary>
    public string AdminToken { get; }

    public static async Task<Stage> StartAsync(EmulatorOptions options, IReadOnlyDictionary<string, string?> overrides,
        IReadOnlyCollection<string>? benchmarkOnlyKeys = null)
    {
        var folder = Directory.CreateTempSubdirectory("trackgrains-bench-").FullName;
        var emulator = await UpstreamEmulator.StartAsync(options);
        var adminToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var settings = GatewaySettings.For(emulator, Path.Combine(folder, "tracks.db"), adminToken,
            appId => benchmarkOnlyKeys?.Contains(appId) != true).With(overrides);

        try
        {
            var gateway = await GatewayServer.StartAsync(settings, folder);
            return new Stage(emulator, gateway, folder, adminToken);
        }
        catch
        {
            await emulator.DisposeAsync();
            TryDelete(folder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TryDelete(Folder);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind is the OS's to clean.
        }
    }
}
