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

    /// <summary>
    /// Retries a test can watch across processes: reminders allowed down to a second and checked every two,
    /// quick in-attempt retries, and attempts 2 and 3 each <paramref name="retryDelay"/> after the previous failure.
    /// </summary>
    public static Dictionary<string, string?> WithWatchableRetries(this Dictionary<string, string?> settings, TimeSpan retryDelay)
    {
        var delay = retryDelay.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        return settings.With(new Dictionary<string, string?>
        {
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["SoundCharts:TransientRetryDelay"] = "00:00:00.020",
            ["Retry:Delays"] = $"00:00:00,{delay},{delay}",
            ["Retry:ReminderPeriod"] = "00:00:02",
        });
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
