using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>
/// One emulator and one gateway on a fresh SQLite file (or, with <see cref="OnPostgres"/>, a fresh
/// PostgreSQL database). Subclass (or construct) with the emulator
/// options and setting overrides a test class needs; tests then use fresh track ids.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public const string AdminToken = "test-admin-token-0123456789";
    public const string UserToken = "test-user-token";
    public const string UserId = "test-user";

    private readonly Func<EmulatorOptions> _emulatorOptions;
    private readonly IReadOnlyDictionary<string, string?> _overrides;

    public GatewayFixture() : this(DefaultEmulator, new Dictionary<string, string?>())
    {
    }

    protected GatewayFixture(Func<EmulatorOptions> emulatorOptions, IReadOnlyDictionary<string, string?> overrides)
    {
        _emulatorOptions = emulatorOptions;
        _overrides = overrides;
        Folder = Directory.CreateTempSubdirectory("trackgrains-test-").FullName;
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, DatabaseRelativePath);

    /// <summary>Where in <see cref="Folder"/> the database goes; a subfolder lets a test see the server create it.</summary>
    protected virtual string DatabaseRelativePath => "tracks.db";

    /// <summary>The emulator's keys when the server first started: a restart imports these, not keys added since.</summary>
    private HashSet<string> _configuredAppIds = [];

    /// <summary>Runs this fixture's server on a fresh database of the shared throwaway PostgreSQL instead of a SQLite file.</summary>
    public virtual bool OnPostgres => false;

    /// <summary>The server's database, to look into (set once initialised).</summary>
    public TestDatabase Database { get; private set; } = null!;

    public UpstreamEmulator Emulator { get; private set; } = null!;

    public TrackGrainsFactory Factory { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient User { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public IServiceProvider Services => Factory.Services;

    /// <summary>Every log line the server wrote, for checks that no secret reaches the logs.</summary>
    public CapturedLogs Logs { get; } = new();

    public static EmulatorOptions DefaultEmulator() => new()
    {
        SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "app-1", ApiKey = "emulator-key-one-0001", Quota = 100_000, RateLimit = 100_000 }],
        SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = UserId, LibrarySize = 20 }],
    };

    /// <summary>Settings every test server gets; the key list comes from the emulator's keys.</summary>
    public Dictionary<string, string?> Settings()
    {
        return GatewaySettings.For(Emulator, DatabasePath, AdminToken, _configuredAppIds.Contains).With(Database.Settings(Folder)).With(new Dictionary<string, string?>
        {
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["SoundCharts:RequestTimeout"] = "00:00:02",
            ["SoundCharts:TransientRetryDelay"] = "00:00:00.020",
            ["SoundCharts:MaxPermitWait"] = "00:00:05",
            ["Retry:Delays"] = "00:00:00,00:00:02,00:00:04",
            ["Retry:NotFoundRecheck"] = "00:00:05",
            ["Retry:ReminderPeriod"] = "00:00:02",
            // The tests' one user floods the server on purpose (64-way, 1,000 tracks); the per-user rate and
            // daily budget have tests of their own (Access/), which set them.
            ["Access:UserRequestsPerSecond"] = "0",
            ["Access:UserDailySoundChartsCalls"] = "0",
        }).With(_overrides);
    }

    public virtual async Task InitializeAsync()
    {
        Database = OnPostgres
            ? TestDatabase.Postgres(await (await PostgresServer.Shared).CreateDatabaseAsync())
            : TestDatabase.Sqlite(DatabasePath);
        Emulator = await UpstreamEmulator.StartAsync(_emulatorOptions());
        if (Emulator.State.Spotify.GetUser(UserId) is null)
        {
            Emulator.State.Spotify.AddUser(UserToken, UserId, librarySize: 20);
        }
        _configuredAppIds = Emulator.State.SoundCharts.Keys.Select(k => k.Options.AppId).ToHashSet(StringComparer.Ordinal);
        Factory = CreateFactory();
        Admin = Client(AdminToken);
        User = Client(UserToken);
        Anonymous = Factory.CreateClient();
    }

    /// <summary>Stops the server and starts a new one on the same database file (a real host stop and start).</summary>
    public async Task RestartAsync()
    {
        await Factory.DisposeAsync();
        Factory = CreateFactory();
        Admin = Client(AdminToken);
        User = Client(UserToken);
        Anonymous = Factory.CreateClient();
    }

    /// <summary>The server over these settings; a subclass may serve it on a real socket for callers outside this process.</summary>
    protected virtual TrackGrainsFactory CreateFactory() => new(Settings(), Logs, AddTestServices);

    /// <summary>Grain calls a test makes fail on purpose (none unless it asks).</summary>
    public GrainCallOutage Outage { get; } = new();

    /// <summary>What every server of these tests adds to its own services: the <see cref="Outage"/> filter.</summary>
    protected void AddTestServices(IServiceCollection services) => services.AddSingleton<IIncomingGrainCallFilter>(Outage);

    public HttpClient Client(string? bearer)
    {
        var client = Factory.CreateClient();
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Emulator.DisposeAsync();
        if (Database.IsPostgres)
        {
            await (await PostgresServer.Shared).DropDatabaseAsync(Database.PostgresConnectionString!);
        }
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; a temp folder left behind is harmless.
        }
    }
}

public sealed class GatewayFixtureOnPostgres : GatewayFixture
{
    public override bool OnPostgres => true;
}
