using TrackGrains.Emulator.Control;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Emulator;

/// <summary>
/// SoundCharts and Spotify (API and accounts) on one loopback base URL, plus the /_emulator
/// control API. Start it in-process with <see cref="StartAsync"/>, or map it into an existing app
/// with <see cref="MapEmulator(IEndpointRouteBuilder, EmulatorState)"/>.
/// </summary>
public sealed class UpstreamEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UpstreamEmulator(WebApplication app, EmulatorState state, string baseUrl)
    {
        _app = app;
        State = state;
        BaseUrl = baseUrl;
    }

    /// <summary>The bound address without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; }

    public EmulatorState State { get; }

    /// <param name="url">Where to listen; port 0 picks a free port (see <see cref="BaseUrl"/>).</param>
    public static async Task<UpstreamEmulator> StartAsync(EmulatorOptions options, string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(UpstreamEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(url);

        // Tests start many emulators; their request logs would drown the test output.
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var state = new EmulatorState(options);
        MapEmulator(app, state);
        await app.StartAsync();

        // After start the addresses hold the real port when 0 was asked for.
        var address = app.Urls.First();
        return new UpstreamEmulator(app, state, address.TrimEnd('/'));
    }

    /// <summary>Maps every emulator route onto an existing app, with state built from the options.</summary>
    public static EmulatorState MapEmulator(IEndpointRouteBuilder endpoints, EmulatorOptions options)
    {
        var state = new EmulatorState(options);
        MapEmulator(endpoints, state);
        return state;
    }

    public static void MapEmulator(IEndpointRouteBuilder endpoints, EmulatorState state)
    {
        SoundChartsEndpoints.Map(endpoints, state);
        SpotifyEndpoints.Map(endpoints, state);
        SpotifyAccountsEndpoints.Map(endpoints, state);
        ControlEndpoints.Map(endpoints, state);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
