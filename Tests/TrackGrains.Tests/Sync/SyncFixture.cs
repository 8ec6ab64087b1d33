using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Sync;

/// <summary>
/// A gateway whose SoundCharts side answers some 404s and 410s, so a sync meets every enrichment
/// outcome. Tests add their own Spotify users (fresh seeds, so no two tests share a track).
/// </summary>
public class SyncFixture : GatewayFixture
{
    public SyncFixture() : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>For fixtures that need settings of their own besides the sync tests' ones.</summary>
    protected SyncFixture(IReadOnlyDictionary<string, string?> settings) : base(EmulatorOptions, new Dictionary<string, string?>(settings)
    {
        // Sync tests look at one sync's outcome; a not-found recheck firing later (and into the server's
        // shutdown) would only add noise, so it is pushed out of the tests' lifetime.
        ["Retry:NotFoundRecheck"] = "01:00:00",
    })
    {
    }

    private static long _users;

    private static EmulatorOptions EmulatorOptions()
    {
        var options = DefaultEmulator();
        options.SoundCharts = new SoundChartsSettings { NotFoundRate = 0.05, GoneRate = 0.01 };
        return options;
    }

    /// <summary>Registers a Spotify user with a library of its own and returns a client that calls as that user.</summary>
    public SyncUser AddUser(int librarySize, SpotifyLibraryQuirks? quirks = null, int? tokenExpiresAfterCalls = null)
    {
        var n = Interlocked.Increment(ref _users);
        var userId = $"sync-user-{n}";
        var token = $"sync-token-{n}-{Guid.NewGuid():N}";
        var user = Emulator.State.Spotify.AddUser(token, userId, librarySize, seed: 1000 + n + Random.Shared.Next(1_000_000) * 1000L,
            quirks: quirks, tokenExpiresAfterCalls: tokenExpiresAfterCalls);
        return new SyncUser(userId, token, user, Client(token));
    }
}

public sealed record SyncUser(string UserId, string Token, SpotifyUser Upstream, HttpClient Client);

public sealed class SyncFixtureOnPostgres : SyncFixture
{
    public override bool OnPostgres => true;
}
