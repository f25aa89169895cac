using FunctionsCrawler.Data;
using Xunit;

namespace FunctionsCrawler.Tests.Data;

/// <summary>What the covers route serves a stored blob as: a JPEG, PNG, GIF or WebP typed from its bytes, nothing else.</summary>
public sealed class CoverRouteTypeTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0];
    private static readonly byte[] Gif = "GIF89a\u0001\0"u8.ToArray();
    private static readonly byte[] Webp = "RIFF\0\0\0\0WEBPVP8 "u8.ToArray();
    private static readonly byte[] Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();

    public static TheoryData<byte[], string?, string> Served => new()
    {
        { Jpeg, "image/jpeg", "image/jpeg" },
        { Png, "image/png", "image/png" },
        { Gif, "image/gif", "image/gif" },
        { Webp, "image/webp", "image/webp" },
        { Png, "image/jpeg", "image/png" }, // the bytes say what it is
        { Jpeg, "IMAGE/JPEG; charset=binary", "image/jpeg" },
        { Jpeg, null, "image/jpeg" },
        { Jpeg, "application/octet-stream", "image/jpeg" },
    };

    [Theory]
    [MemberData(nameof(Served))]
    public void A_jpeg_png_gif_or_webp_is_served_as_its_bytes_say(byte[] bytes, string? stored, string served)
    {
        var (type, problem) = CoverRoute.TypeToServe(bytes, stored);
        Assert.Equal(served, type);
        Assert.Null(problem);
    }

    public static TheoryData<byte[], string?, string> Refused => new()
    {
        { Svg, "image/svg+xml", "bytes are not" },
        { Png, "image/svg+xml", "stored as 'image/svg+xml'" }, // whatever its bytes, an SVG type is not sent
        { Jpeg, "text/html", "stored as 'text/html'" },
        { Jpeg, "image/bmp", "stored as 'image/bmp'" },
        { "<html>not an image</html>"u8.ToArray(), "image/jpeg", "bytes are not" },
        { [], "image/png", "bytes are not" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Anything_else_is_refused_with_a_reason(byte[] bytes, string? stored, string reason)
    {
        var (type, problem) = CoverRoute.TypeToServe(bytes, stored);
        Assert.Null(type);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void Every_cover_answer_is_kept_from_running_anything_and_from_shared_caches()
    {
        Assert.Equal("nosniff", CoverRoute.Hardening["X-Content-Type-Options"]);
        Assert.Equal("default-src 'none'", CoverRoute.Hardening["Content-Security-Policy"]);
        Assert.StartsWith("private,", CoverRoute.CacheControl, StringComparison.Ordinal);
    }
}
