namespace TrackGrains.Emulator.Determinism;

/// <summary>
/// A hash that is stable across processes and runtimes (unlike string.GetHashCode), so the
/// synthetic catalogue, the fault plan and the libraries are the same on every run and machine.
/// FNV-1a 64 over the inputs, then a SplitMix64 finaliser to spread FNV's weak low bits.
/// </summary>
public static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(long seed, string salt, string value, long n = 0)
    {
        var h = OffsetBasis;
        h = Mix(h, (ulong)seed);
        foreach (var c in salt)
        {
            h = (h ^ c) * Prime;
        }

        // A separator so ("ab","c") and ("a","bc") differ.
        h = (h ^ 0xFF) * Prime;
        foreach (var c in value)
        {
            h = (h ^ c) * Prime;
        }

        h = Mix(h, (ulong)n);
        return Finalise(h);
    }

    /// <summary>A double in [0, 1) from a hash.</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    internal static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Mix(ulong h, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            h = (h ^ (value & 0xFF)) * Prime;
            value >>= 8;
        }

        return h;
    }
}
