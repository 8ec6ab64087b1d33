using System.Runtime.InteropServices;

namespace TrackGrains.Benchmarks.Reporting;

public sealed record MachineInfo(int Cores, string Cpu, string Os, string Runtime, string Configuration)
{
    public static MachineInfo Current()
    {
        var cpu = "unknown";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                    ?.Split(':', 2)[1].Trim() ?? cpu;
            }
        }
        catch (IOException)
        {
            // The CPU name is decoration.
        }
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        return new MachineInfo(Environment.ProcessorCount, cpu, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, configuration);
    }
}
