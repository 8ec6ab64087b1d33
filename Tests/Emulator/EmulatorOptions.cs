using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Emulator;

/// <summary>
/// Start-up configuration. Bindable from configuration section "Emulator" (all but
/// <see cref="TimeProvider"/>); everything here can also be changed later through
/// <see cref="EmulatorState"/> or the /_emulator control API.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>Seeds the catalogue, the 404/410 fractions, the fault plan and latency jitter.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Drives rate-limit windows, the 404-to-known delay, token expiry and added_at of added tracks.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public SoundChartsSettings SoundCharts { get; set; } = new();

    public List<SoundChartsKeyOptions> SoundChartsKeys { get; set; } = [];

    public SpotifySettings Spotify { get; set; } = new();

    public SpotifyAccountsOptions SpotifyAccounts { get; set; } = new();

    public List<SpotifyUserOptions> SpotifyUsers { get; set; } = [];
}
