using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.WebGateway.Hosting;

/// <summary>
/// <c>--demo</c> (or Demo:Enabled=true): starts the upstream emulator in this process and points the
/// SoundCharts and Spotify base URLs at it, with a demo key and a demo Spotify user, so the whole API
/// works without any outside account. Outside demo mode nothing here runs: the same code talks to the
/// real hosts.
/// </summary>
public static class DemoMode
{
    public const string DemoUserToken = "demo-user-token";
    public const string DemoUserId = "demo-user";

    private const string Flag = "--demo";

    /// <summary>
    /// The arguments for the configuration, without the bare <c>--demo</c> flag: the command-line provider
    /// would otherwise read it as a key and take the next argument (say, <c>--urls</c>) as its value.
    /// </summary>
    public static string[] WithoutFlag(string[] args) => args.Where(a => !a.Equals(Flag, StringComparison.OrdinalIgnoreCase)).ToArray();

    public static async Task<WebApplicationBuilder> AddDemoModeAsync(this WebApplicationBuilder builder, string[] args)
    {
        var enabled = args.Contains(Flag, StringComparer.OrdinalIgnoreCase) || builder.Configuration.GetValue<bool>("Demo:Enabled");
        if (!enabled)
        {
            return builder;
        }

        var emulator = await UpstreamEmulator.StartAsync(new EmulatorOptions
        {
            SoundChartsKeys =
            [
                new SoundChartsKeyOptions { AppId = "demo-app", ApiKey = "demo-key-not-a-secret", Quota = 5000, RateLimit = 600, RateLimitWindow = TimeSpan.FromSeconds(60) },
            ],
            SpotifyUsers =
            [
                new SpotifyUserOptions { Token = DemoUserToken, UserId = DemoUserId, DisplayName = "Demo listener", LibrarySize = 120, PlaylistCount = 3 },
            ],
        });
        builder.Services.AddSingleton(emulator);

        var demo = new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["SoundCharts:BaseUrl"] = emulator.BaseUrl,
            ["Spotify:ApiBaseUrl"] = emulator.BaseUrl,
            ["Spotify:AccountsBaseUrl"] = emulator.BaseUrl,
            ["Spotify:ClientId"] = builder.Configuration["Spotify:ClientId"] ?? "demo-client",
            ["SoundCharts:Keys:0:AppId"] = "demo-app",
            ["SoundCharts:Keys:0:ApiKey"] = "demo-key-not-a-secret",
        };
        // Demo data goes to its own file unless the operator chose one, so it never mixes with a real library.
        if (builder.Configuration["Storage:Database"] is null)
        {
            demo["Storage:Database"] = "data/demo.db";
        }
        builder.Configuration.AddInMemoryCollection(demo);

        Console.WriteLine($"Demo mode: upstream emulator at {emulator.BaseUrl}; demo Spotify user '{DemoUserId}' signs in with 'Authorization: Bearer {DemoUserToken}'.");
        return builder;
    }
}
