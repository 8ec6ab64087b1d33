namespace TrackGrains.Tests.Emulator;

internal static class TestIds
{
    /// <summary>A valid 22-character Spotify id, distinct per n.</summary>
    public static string Track(int n) => $"track{n:D17}";
}
