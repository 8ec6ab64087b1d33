using System.Globalization;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>What the gateway process holds in memory and the CPU time it used, as the kernel sees them (Linux /proc).</summary>
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

    /// <summary>User plus system CPU time the process has used so far (utime + stime of /proc/pid/stat).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        // USER_HZ is 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
