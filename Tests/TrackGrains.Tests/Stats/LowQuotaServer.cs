using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

/// <summary>A fresh server whose only key starts with 12 calls of quota and no overage.</summary>
public class LowQuotaServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = AppId, ApiKey = "emulator-key-low-0001", Quota = 12, RateLimit = 100_000 }],
    SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = UserId, LibrarySize = 5 }],
}, new Dictionary<string, string?> { ["SoundCharts:MaxPermitWait"] = "00:00:00.200" })
{
    public const string AppId = "app-low";
}

public sealed class LowQuotaServerOnPostgres : LowQuotaServer
{
    public override bool OnPostgres => true;
}
