using System.Net;
using System.Net.Sockets;

namespace FunctionsCrawler.NetEase;

/// <summary>A connection the crawler refused to open: the host resolves only to addresses it must not reach.</summary>
public sealed class AddressNotAllowedException(string message) : IOException(message);

/// <summary>
/// Decides, at connect time (after name resolution, so a DNS answer or a redirect cannot smuggle one in),
/// which addresses the crawler may reach: public ones, and the configured site's own host whatever its
/// address. Loopback is allowed only when the configured site is itself loopback (the Sandbox); private,
/// link-local (cloud metadata at 169.254.169.254), multicast and unspecified addresses never are.
/// </summary>
public sealed class SiteAddressGuard(Uri? siteBase, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    // siteBase is null when NetEase__BaseUrl is not a URL: the start-up check reports that; nothing is exempt meanwhile.
    private readonly bool _siteIsLoopback = siteBase?.IsLoopback == true;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    /// <summary>For <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves, filters, connects.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, ct).ConfigureAwait(false);
        var isSite = siteBase is not null && string.Equals(host, siteBase.Host, StringComparison.OrdinalIgnoreCase);
        var allowed = isSite ? addresses : addresses.Where(Allows).ToArray();
        if (allowed.Length == 0)
            throw new AddressNotAllowedException(addresses.Length == 0
                ? $"{host} has no address"
                : $"{host} resolves to {addresses[0]}, a {Kind(addresses[0])} address the crawler does not connect to");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public bool Allows(IPAddress address) => Kind(address) switch
    {
        "public" => true,
        "loopback" => _siteIsLoopback,
        _ => false,
    };

    /// <summary>public, loopback, private, link-local, or another reserved kind.</summary>
    public static string Kind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return "loopback";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                10 => "private",
                100 when b[1] is >= 64 and < 128 => "private", // carrier-grade NAT
                169 when b[1] == 254 => "link-local",
                172 when b[1] is >= 16 and < 32 => "private",
                192 when b[1] == 168 => "private",
                192 when b[1] == 0 && b[2] == 0 => "reserved",
                198 when b[1] is 18 or 19 => "reserved", // benchmarking
                >= 224 => "multicast or reserved",
                _ => "public",
            };
        }
        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return "unspecified";
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
        if (address.IsIPv6UniqueLocal) return "private";
        if (address.IsIPv6Multicast) return "multicast or reserved";
        return "public";
    }
}
