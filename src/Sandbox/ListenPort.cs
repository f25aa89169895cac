using Microsoft.Extensions.Configuration;

namespace FunctionsCrawler.Sandbox;

/// <summary>The port Program.cs listens on: <c>--port N</c>, else the port of <c>--urls</c>, else 5080. The host is always 127.0.0.1.</summary>
internal static class ListenPort
{
    public const int Default = 5080;

    public static int From(IConfiguration configuration)
    {
        if (configuration["port"] is { Length: > 0 } port)
            return int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            // "http://*:5080" and "http://+:5080" are not valid URIs; only the port matters here.
            var uri = new Uri(first.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal));
            return uri.Port;
        }
        return Default;
    }
}
