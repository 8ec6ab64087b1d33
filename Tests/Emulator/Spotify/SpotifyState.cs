using System.Collections.Concurrent;
using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Emulator.Spotify;

/// <summary>The live Spotify side: users, their tokens, settings, sign-in grants and counters.</summary>
public sealed class SpotifyState
{
    private readonly ConcurrentDictionary<string, SpotifyUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SpotifyToken> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private volatile SpotifySettings _settings;

    internal SpotifyState(
        long seed,
        TimeProvider time,
        SpotifySettings settings,
        SpotifyAccountsOptions accounts,
        IEnumerable<SpotifyUserOptions> users,
        SoundChartsCatalogue soundCharts)
    {
        _time = time;
        _settings = settings;
        Accounts = accounts;
        Catalogue = new SpotifyCatalogue(seed, soundCharts);
        AddUser(accounts.DemoUser);
        foreach (var user in users)
        {
            AddUser(user);
        }
    }

    public SpotifyCatalogue Catalogue { get; }

    public SpotifyCounters Counters { get; } = new();

    internal SpotifyRateWindow RateWindow { get; } = new();

    public SpotifyAccountsOptions Accounts { get; }

    public SpotifySettings Settings
    {
        get => _settings;
        set => _settings = value ?? throw new ArgumentNullException(nameof(value));
    }

    internal ConcurrentDictionary<string, PendingAuthorization> PendingCodes { get; } = new(StringComparer.Ordinal);

    internal ConcurrentDictionary<string, RefreshGrant> RefreshTokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) a user with a generated library and an access token for it.</summary>
    public SpotifyUser AddUser(
        string token,
        string userId,
        int librarySize,
        long seed = 1,
        SpotifyLibraryQuirks? quirks = null,
        int? tokenExpiresAfterCalls = null) =>
        AddUser(new SpotifyUserOptions
        {
            Token = token,
            UserId = userId,
            LibrarySize = librarySize,
            Seed = seed,
            Quirks = quirks ?? SpotifyLibraryQuirks.None,
            TokenExpiresAfterCalls = tokenExpiresAfterCalls,
        });

    public SpotifyUser AddUser(SpotifyUserOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.UserId);
        var user = new SpotifyUser(options);
        _users[options.UserId] = user;
        if (options.Token is not null)
        {
            AddToken(options.Token, options.UserId, options.TokenExpiresAfterCalls);
        }

        return user;
    }

    /// <summary>
    /// Another access token for an existing user. <paramref name="expiresAfterCalls"/> = 0 makes a
    /// token that is expired from the start.
    /// </summary>
    public SpotifyToken AddToken(string token, string userId, int? expiresAfterCalls = null, DateTimeOffset? expiresAt = null)
    {
        var user = GetUser(userId) ?? throw new ArgumentException($"No Spotify user '{userId}'.", nameof(userId));
        var added = new SpotifyToken(token, user, expiresAfterCalls, expiresAt);
        _tokens[token] = added;
        return added;
    }

    /// <summary>From now on the token answers 401 "The access token expired".</summary>
    public bool ExpireToken(string token)
    {
        if (!_tokens.TryGetValue(token, out var found))
        {
            return false;
        }

        found.Expire();
        return true;
    }

    public SpotifyUser? GetUser(string userId) => _users.GetValueOrDefault(userId);

    public SpotifyToken? GetToken(string token) => _tokens.GetValueOrDefault(token);

    /// <summary>Adds tracks to a user's library as the newest items, timed by the TimeProvider.</summary>
    public IReadOnlyList<SavedItem> AddTracks(string userId, int count) =>
        (GetUser(userId) ?? throw new ArgumentException($"No Spotify user '{userId}'.", nameof(userId))).AddTracks(count, _time.GetUtcNow());

    public (SpotifyPlaylist Playlist, SpotifyUser Owner)? FindPlaylist(string playlistId)
    {
        foreach (var user in _users.Values)
        {
            foreach (var playlist in user.Playlists)
            {
                if (playlist.Id == playlistId)
                {
                    return (playlist, user);
                }
            }
        }

        return null;
    }

    public void Reset()
    {
        Counters.Reset();
        RateWindow.Reset();
        PendingCodes.Clear();
    }
}
