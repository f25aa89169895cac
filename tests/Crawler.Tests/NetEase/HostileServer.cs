using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FunctionsCrawler.Tests.NetEase;

/// <summary>One request as the hostile server saw it.</summary>
public sealed record SeenRequest(string Method, string Target, DateTimeOffset At)
{
    /// <summary>The request line and headers as received (the body, if any, is still on the stream).</summary>
    public string Head { get; init; } = "";
}

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 that writes raw bytes, so a test can answer exactly as a misbehaving
/// real server does: odd charset labels, a body dripped a byte at a time, a lying gzip, a redirect anywhere.
/// Each connection serves one request and closes (Connection: close).
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<SeenRequest, Stream, CancellationToken, Task> _answer;
    private readonly Task _loop;

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public HostileServer(Func<SeenRequest, Stream, CancellationToken, Task> answer)
    {
        _answer = answer;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>Writes a status line, headers (Connection: close added) and the body.</summary>
    public static async Task WriteAsync(Stream stream, int status, IEnumerable<(string Name, string Value)> headers, byte[] body, CancellationToken ct, bool contentLength = true)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {Reason(status)}\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (contentLength) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        head.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
    }

    public static Task WriteAsync(Stream stream, int status, string contentType, string body, CancellationToken ct, params (string, string)[] extra) =>
        WriteAsync(stream, status, [("Content-Type", contentType), .. extra], Encoding.UTF8.GetBytes(body), ct);

    private static string Reason(int status) => status switch
    {
        200 => "OK", 302 => "Found", 400 => "Bad Request", 404 => "Not Found", 429 => "Too Many Requests",
        500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable", 504 => "Gateway Timeout", _ => "Status",
    };

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, _stop.Token);
                var line = head.Split("\r\n")[0].Split(' ');
                var seen = new SeenRequest(line[0], line.Length > 1 ? line[1] : "/", DateTimeOffset.UtcNow) { Head = head };
                Requests.Enqueue(seen);
                await _answer(seen, stream, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (IOException) { } // the client gave up (a timeout or a cap): what the test wants
            catch (SocketException) { }
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one, ct) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r') break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
