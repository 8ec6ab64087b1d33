using System.Globalization;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Pages;

/// <summary>The browser tests' server: a demo-mode gateway process on its own SQLite file, with the demo user's library.</summary>
public static class DemoPageServer
{
    /// <summary>The demo user's bearer token (demo mode's own).</summary>
    public const string DemoToken = "demo-user-token";

    public static Dictionary<string, string?> Settings(string folder, int librarySize, string adminToken) => new()
    {
        ["Demo:Enabled"] = "true",
        ["Demo:LibrarySize"] = librarySize.ToString(CultureInfo.InvariantCulture),
        // The demo key's default rate would make the sync of a large library take several seconds more.
        ["Demo:KeyRateLimit"] = "100000",
        ["Storage:Database"] = Path.Combine(folder, "tracks.db"),
        ["Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Cluster:GatewayPort"] = "0",
        ["Admin:Token"] = adminToken,
    };
}
