using System.Net;
using System.Net.Sockets;

namespace TrackGrains.Testing;

/// <summary>A loopback port free at the time of asking (a race is possible but harmless for tests).</summary>

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
