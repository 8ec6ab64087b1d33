using TrackGrains.Emulator;

namespace TrackGrains.Testing;

/// <summary>
/// The settings that point a gateway at an emulator on a fresh SQLite file: its database, a free silo
/// port, the admin token, the upstream URLs and the emulator's SoundCharts keys. Callers add their own
/// (timeouts, retry delays) on top.
/// </summary>
public static class GatewaySettings
{
    public static Dictionary<string, string?> For(UpstreamEmulator emulator, string databasePath, string adminToken,
        Func<string, bool>? importKey = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Database"] = databasePath,
            ["Cluster:SiloPort"] = FreePort.Next().ToString(),
            ["Cluster:GatewayPort"] = "0",
            ["Admin:Token"] = adminToken,
            ["SoundCharts:BaseUrl"] = emulator.BaseUrl,
            ["Spotify:ApiBaseUrl"] = emulator.BaseUrl,
            ["Spotify:AccountsBaseUrl"] = emulator.BaseUrl,
        };
        var i = 0;
        foreach (var key in emulator.State.SoundCharts.Keys.Select(k => k.Options).OrderBy(k => k.AppId, StringComparer.Ordinal))
        {
            if (importKey is not null && !importKey(key.AppId))
            {
                continue;
            }
            settings[$"SoundCharts:Keys:{i}:AppId"] = key.AppId;
            settings[$"SoundCharts:Keys:{i}:ApiKey"] = key.ApiKey;
            i++;
        }
        return settings;
    }

    /// <summary>Adds (or replaces) settings on top of a base set.</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
        return settings;
    }
}
