using System.Collections.Concurrent;
using Orleans.Runtime;

namespace TrackGrains.Tests.Storage;

/// <summary>Which silo delivered reminder ticks to which probe grain (tests use unique grain keys).</summary>
internal static class ReminderTicks
{
    private static readonly ConcurrentDictionary<string, ConcurrentBag<SiloAddress>> Ticks = new();

    public static void Record(string grainKey, SiloAddress silo) =>
        Ticks.GetOrAdd(grainKey, _ => new ConcurrentBag<SiloAddress>()).Add(silo);

    public static bool Received(string grainKey, SiloAddress silo) =>
        Ticks.TryGetValue(grainKey, out var ticks) && ticks.Contains(silo);
}
