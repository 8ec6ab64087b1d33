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
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Database"] = Path.Combine(folder, "tracks.db"),
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = "0",
            ["Admin:Token"] = adminToken,
            ["SoundCharts:BaseUrl"] = emulator.BaseUrl,
            ["Spotify:ApiBaseUrl"] = emulator.BaseUrl,
            ["Spotify:AccountsBaseUrl"] = emulator.BaseUrl,
        };
        var i = 0;
        foreach (var key in emulator.State.SoundCharts.Keys.Select(k => k.Options).OrderBy(k => k.AppId, StringComparer.Ordinal))
        {
            if (benchmarkOnlyKeys?.Contains(key.AppId) == true)
            {
                continue;
            }
            settings[$"SoundCharts:Keys:{i}:AppId"] = key.AppId;
            settings[$"SoundCharts:Keys:{i}:ApiKey"] = key.ApiKey;
            i++;
        }
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

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
