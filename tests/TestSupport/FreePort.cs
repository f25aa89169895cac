using System.Net;
using System.Net.Sockets;

namespace FunctionsCrawler.TestSupport;

/// <summary>Loopback ports for the tests' own servers.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on now (the system's choice, released at once).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
