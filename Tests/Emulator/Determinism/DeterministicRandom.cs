namespace TrackGrains.Emulator.Determinism;

/// <summary>
/// SplitMix64 stream seeded from a <see cref="StableHash"/>: System.Random's sequence is not
/// guaranteed across .NET versions, and the catalogue must never change under the tests.
/// </summary>
public struct DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return StableHash.Finalise(_state);
    }

    public double NextDouble() => StableHash.Unit(NextUInt64());

    /// <summary>An integer in [0, max).</summary>
    public int Next(int max) => (int)(NextUInt64() % (ulong)max);

    /// <summary>An integer in [min, max).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A value in [min, max) rounded to a few decimals, as the real APIs round.</summary>
    public double Between(double min, double max, int decimals = 3) =>
        Math.Round(min + (NextDouble() * (max - min)), decimals);
}
