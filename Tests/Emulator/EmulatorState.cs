using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Emulator;

/// <summary>Everything the emulator knows; thread-safe, so tests mutate and read it while requests run.</summary>
public sealed class EmulatorState
{
    public EmulatorState(EmulatorOptions options)
    {
        Seed = options.Seed;
        Time = options.TimeProvider;
        SoundCharts = new SoundChartsState(options.Seed, Time, options.SoundCharts, options.SoundChartsKeys);
        Spotify = new SpotifyState(options.Seed, Time, options.Spotify, options.SpotifyAccounts, options.SpotifyUsers, SoundCharts.Catalogue);
    }

    public long Seed { get; }

    public TimeProvider Time { get; }

    public SoundChartsState SoundCharts { get; }

    /// <summary>Shortcut to <see cref="SoundChartsState.Catalogue"/>: the song any id would return.</summary>
    public SoundChartsCatalogue Catalogue => SoundCharts.Catalogue;

    public SpotifyState Spotify { get; }

    /// <summary>Counters to zero, key quotas and windows to their registered values, overrides and pending codes dropped.</summary>
    public void Reset()
    {
        SoundCharts.Reset();
        Spotify.Reset();
    }
}
