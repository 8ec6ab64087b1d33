using TrackGrains.Emulator.Determinism;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>Fresh valid Spotify ids, distinct per run and per purpose, so no phase sees another's tracks.</summary>
public static class TrackIds
{
    private static readonly ulong RunSalt = (ulong)Random.Shared.NextInt64();

    public static List<string> Fresh(string purpose, int count)
    {
        var purposeHash = (ulong)StringComparer.Ordinal.GetHashCode(purpose);
        return Enumerable.Range(0, count).Select(i => SpotifyId.FromHash(Mix(RunSalt ^ purposeHash, (ulong)i))).ToList();
    }

    // SplitMix64 finaliser: neighbouring indexes give unrelated ids.
    private static ulong Mix(ulong salt, ulong index)
    {
        var z = salt + (index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
