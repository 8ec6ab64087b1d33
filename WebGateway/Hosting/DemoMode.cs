using Microsoft.Extensions.Options;
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

    /// <summary>
    /// Large enough that the library page has many pages, searches and plots worth looking at, and that
    /// sorting and export are tried on a library of a realistic size. Demo:LibrarySize changes it.
    /// </summary>
    public const int DefaultLibrarySize = 1500;

    /// <summary>
    /// The demo key's rate limit per second (Demo:KeyRateLimit): high enough that a first sync of the whole
    /// demo library takes seconds, low enough that the key's rate-limit accounting is at work.
    /// </summary>
    public const int DefaultKeyRateLimit = 200;

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

        var librarySize = builder.Configuration.GetValue("Demo:LibrarySize", DefaultLibrarySize);
        var rateLimit = builder.Configuration.GetValue("Demo:KeyRateLimit", DefaultKeyRateLimit);
        if (librarySize is < 0 or > 100_000 || rateLimit < 1)
        {
            throw new OptionsValidationException("Demo", typeof(DemoOptions),
                ["Demo:LibrarySize must be from 0 to 100000 and Demo:KeyRateLimit at least 1 (calls per second), e.g. --Demo:LibrarySize=1500."]);
        }
        var emulator = await UpstreamEmulator.StartAsync(new EmulatorOptions
        {
            SoundChartsKeys =
            [
                // Quota for the whole library and its playlists, twice over.
                new SoundChartsKeyOptions
                {
                    AppId = "demo-app", ApiKey = "demo-key-not-a-secret", Quota = Math.Max(5000, librarySize * 2 + 1000),
                    RateLimit = rateLimit, RateLimitWindow = TimeSpan.FromSeconds(1),
                },
            ],
            SpotifyUsers =
            [
                new SpotifyUserOptions { Token = DemoUserToken, UserId = DemoUserId, DisplayName = "Demo listener", LibrarySize = librarySize, PlaylistCount = 3 },
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
