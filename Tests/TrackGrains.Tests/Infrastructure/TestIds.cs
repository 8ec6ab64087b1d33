using TrackGrains.Emulator.Determinism;

namespace TrackGrains.Tests.Infrastructure;

/// <summary>Fresh, valid Spotify track ids, so tests sharing a server never share a track.</summary>
public static class TestIds
{
    public static string Track() => SpotifyId.Random();

    public static string Track(Random random) => SpotifyId.Random(random);

    public static List<string> Tracks(int count) => SpotifyId.Random(count);
}
