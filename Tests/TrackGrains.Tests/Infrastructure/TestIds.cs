using TrackGrains.Emulator;
using TrackGrains.Emulator.Determinism;
using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>Fresh, valid Spotify track ids, so tests sharing a server never share a track.</summary>
public static class TestIds
{
    public static string Track() => SpotifyId.Random();

    public static string Track(Random random) => SpotifyId.Random(random);

    public static List<string> Tracks(int count) => SpotifyId.Random(count);

    /// <summary>A fresh id SoundCharts (the emulator) knows and answers with an audio block.</summary>
    public static string TrackWithAudio(UpstreamEmulator emulator)
    {
        while (true)
        {
            var id = Track();
            if (emulator.State.Catalogue.GetSong(id).Audio is not null
                && emulator.State.SoundCharts.GetAvailability(id) == SongAvailability.Known)
            {
                return id;
            }
        }
    }
}
