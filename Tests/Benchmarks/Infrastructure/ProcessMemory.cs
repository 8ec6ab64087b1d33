using System.Globalization;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>What the gateway process holds in memory, as the kernel sees it (Linux /proc).</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS of the process in bytes; 0 when /proc does not say.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }
}
