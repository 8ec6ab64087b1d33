using System.Net;

namespace TrackGrains.WebGateway.Auth;

/// <summary>
/// Refuses to start a server that listens beyond loopback and would serve any Spotify account (an
/// empty Access:AllowedSpotifyUsers) unless the operator said so with Access:AllowAnySpotifyUser=true.
/// </summary>
public static class OpenAccessGuard
{
    /// <summary>The one-line reason not to start, or null.</summary>
    public static string? Check(IConfiguration configuration, AccessOptions access)
    {
        if (access.AllowedSpotifyUsers.Count > 0 || access.AllowAnySpotifyUser)
        {
            return null;
        }
        var open = ListenUrls(configuration).FirstOrDefault(url => !IsLoopback(url));
        return open is null
            ? null
            : $"The server would listen on {open}, beyond loopback, and let any Spotify account spend the SoundCharts quota. " +
              "List the users in Access:AllowedSpotifyUsers (e.g. --Access:AllowedSpotifyUsers:0=<spotify user id>), " +
              "or set Access:AllowAnySpotifyUser=true to open it to everyone on purpose.";
    }

    /// <summary>The addresses Kestrel will bind: its Endpoints section when present (it wins), else urls (--urls, ASPNETCORE_URLS).</summary>
    public static IReadOnlyList<string> ListenUrls(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().Where(u => u.Length > 0).ToList();
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. endpoints, .. urls];
    }

    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            // Kestrel will refuse it itself; not ours to judge as open or not.
            return true;
        }
        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            return true;
        }
        var host = address.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
