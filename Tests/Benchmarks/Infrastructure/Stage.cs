using System.Security.Cryptography;
using TrackGrains.Emulator;
using TrackGrains.Testing;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// One measurement's world: an in-process emulator, a gateway process on a fresh database (a SQLite
/// file in a temporary folder, or a new PostgreSQL database, as <see cref="StorageBackend"/> says), and
/// the settings that join them. Every key the emulator has at start becomes a server key unless it is
/// listed in <c>benchmarkOnlyKeys</c> (keys the benchmark uses to call the emulator directly).
/// </summary>
public sealed class Stage : IAsyncDisposable
{
    private readonly ProcessStage _stage;
    private readonly Dictionary<string, string?> _settings;

    private Stage(ProcessStage stage, GatewayServer gateway, Dictionary<string, string?> settings, string adminToken, string? postgresConnectionString)
    {
        _stage = stage;
        _settings = settings;
        Gateway = gateway;
        AdminToken = adminToken;
        PostgresConnectionString = postgresConnectionString;
    }

    public UpstreamEmulator Emulator => _stage.Emulator;

    /// <summary>The running gateway process; a new one after <see cref="RestartGatewayAsync"/>.</summary>
    public GatewayServer Gateway { get; private set; }

    public string Folder => _stage.Folder;

    /// <summary>The SQLite file, when the stage runs on SQLite.</summary>
    public string DatabasePath => _stage.DatabasePath;

    /// <summary>The stage's own PostgreSQL database, when it runs on PostgreSQL; null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>Random per stage and never printed.</summary>
    public string AdminToken { get; }

    /// <summary>
    /// The benchmark's one user syncs libraries of 10,000 tracks and more and floods the server on purpose:
    /// the per-user daily budget and request rate (Access:*) would measure themselves, not the server.
    /// </summary>
    private static readonly Dictionary<string, string?> UnlimitedUser = new()
    {
        ["Access:UserDailySoundChartsCalls"] = "0",
        ["Access:UserRequestsPerSecond"] = "0",
    };

    public static async Task<Stage> StartAsync(StorageBackend storage, EmulatorOptions options, IReadOnlyDictionary<string, string?> overrides,
        IReadOnlyCollection<string>? benchmarkOnlyKeys = null)
    {
        var stage = await ProcessStage.StartAsync("trackgrains-bench-", options);
        try
        {
            var adminToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            var (storageSettings, connectionString) = await storage.SettingsAsync(stage.Folder);
            var settings = stage.Settings(adminToken, appId => benchmarkOnlyKeys?.Contains(appId) != true).With(storageSettings)
                .With(UnlimitedUser).With(overrides);
            return new Stage(stage, await GatewayServer.StartAsync(settings, stage.Folder), settings, adminToken, connectionString);
        }
        catch
        {
            await stage.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the gateway (SIGTERM, as an operator would), runs <paramref name="whileStopped"/> against its now idle
    /// database, then starts a new gateway process on the same database and settings, as after an upgrade or a reboot.
    /// </summary>
    public async Task RestartGatewayAsync(Func<Task> whileStopped)
    {
        await Gateway.StopAsync(TimeSpan.FromSeconds(30));
        await Gateway.DisposeAsync();
        await whileStopped();
        Gateway = await GatewayServer.StartAsync(_settings, _stage.Folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await _stage.DisposeAsync();
    }
}
