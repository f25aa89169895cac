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

    /// <summary>Returns once something accepts connections on <paramref name="port"/>; throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitForListenerAsync(int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await AcceptsAsync(port))
        {
            if (DateTime.UtcNow >= until) throw new TimeoutException($"nothing accepted connections on 127.0.0.1:{port} within {timeout}");
            await Task.Delay(100);
        }
    }

    /// <summary>Whether something accepts a connection on <paramref name="port"/> now.</summary>
    public static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
