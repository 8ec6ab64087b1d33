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
    private readonly ProcessStage _stage;

    private Stage(ProcessStage stage, GatewayServer gateway, string adminToken)
    {
        _stage = stage;
        Gateway = gateway;
        AdminToken = adminToken;
    }

    public UpstreamEmulator Emulator => _stage.Emulator;

    public GatewayServer Gateway { get; }

    public string Folder => _stage.Folder;

    public string DatabasePath => _stage.DatabasePath;

    /// <summary>Random per stage and never printed.</summary>
    public string AdminToken { get; }

    public static async Task<Stage> StartAsync(EmulatorOptions options, IReadOnlyDictionary<string, string?> overrides,
        IReadOnlyCollection<string>? benchmarkOnlyKeys = null)
    {
        var stage = await ProcessStage.StartAsync("trackgrains-bench-", options);
        var adminToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var settings = stage.Settings(adminToken, appId => benchmarkOnlyKeys?.Contains(appId) != true).With(overrides);
        try
        {
            return new Stage(stage, await GatewayServer.StartAsync(settings, stage.Folder), adminToken);
        }
        catch
        {
            await stage.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _stage.DisposeAsync();
    }
}
