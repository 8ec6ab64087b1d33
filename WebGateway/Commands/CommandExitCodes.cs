using TrackGrains.Silo.Hosting;

namespace TrackGrains.WebGateway.Commands;

public static class CommandExitCodes
{
    public const int Success = 0;

    /// <summary>The verb could not do its work (a file in the way, a folder it cannot write ...).</summary>
    public const int Failed = 1;

    /// <summary>The verb would not start: what it reads or writes is not fit for it (missing, in use, not empty ...); nothing was changed.</summary>
    public const int Refused = 3;

    /// <summary>Wrong usage or configuration: the same code as a server that cannot start for that reason.</summary>
    public const int Usage = StartupErrors.ConfigurationExitCode;
}
