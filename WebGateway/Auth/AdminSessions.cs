using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TrackGrains.WebGateway.Auth;

/// <summary>
/// The admin page's sessions, held by this gateway: the cookie carries an opaque random id, never
/// the admin token; the server keeps only the id's hash and its expiry, so sign-out (or expiry)
/// makes a stolen cookie worthless. A restart forgets them: the admin signs in again.
/// </summary>
public sealed class AdminSessions(IOptions<AdminOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => options.Value.SessionLifetime;

    /// <summary>Starts a session and returns its id, for the cookie only.</summary>
    public string Start()
    {
        var now = time.GetUtcNow();
        foreach (var (key, expires) in _expiries)
        {
            if (expires <= now)
            {
                _expiries.TryRemove(key, out _);
            }
        }
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _expiries[Hash(id)] = now + Lifetime;
        return id;
    }

    public bool IsValid(string id)
    {
        if (!_expiries.TryGetValue(Hash(id), out var expires))
        {
            return false;
        }
        if (expires > time.GetUtcNow())
        {
            return true;
        }
        _expiries.TryRemove(Hash(id), out _);
        return false;
    }

    public void End(string id) => _expiries.TryRemove(Hash(id), out _);

    private static string Hash(string id) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
