using FunctionsCrawler.Sandbox.Faults;
using FunctionsCrawler.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace FunctionsCrawler.Tests.Storage;

/// <summary>The pixel budget, read from a cover's header: bombs are refused before any pixel is decoded.</summary>
public sealed class CoverPixelsTests
{
    [Fact]
    public void A_gif_of_a_huge_canvas_with_one_pixel_frames_is_refused_from_its_header()
    {
        var bomb = CoverBomb.GifOf(8000, 8000, 4);
        Assert.True(bomb.Length < 200);
        Assert.True(CoverStore.IsImage(bomb, "image/gif")); // it passes the "is it an image" sniff

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var refusal = CoverPixels.Refusal(bomb);
        var spent = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal("cover is 8,000×8,000 px (64 megapixels), over the 25-megapixel budget", refusal);
        Assert.True(spent < 1 << 20, $"reading the header allocated {spent:N0} bytes"); // one frame decoded would be 256 MB
    }

    [Fact]
    public void A_png_of_one_colour_of_7900_px_a_side_is_refused_from_its_header()
    {
        var bomb = CoverBomb.Png;
        Assert.True(bomb.Length < 1 << 20, $"{bomb.Length:N0} bytes");
        Assert.True(CoverStore.IsImage(bomb, "image/png"));

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var refusal = CoverPixels.Refusal(bomb);
        var spent = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Equal("cover is 7,900×7,900 px (62.4 megapixels), over the 25-megapixel budget", refusal);
        // The reader holds a chunk at a time (up to the file's size); one decoded frame would be 250 MB.
        Assert.True(spent < 2L * bomb.Length + (1 << 20), $"reading the header of {bomb.Length:N0} bytes allocated {spent:N0} bytes");
    }

    [Fact]
    public void An_ordinary_1200_px_jpeg_cover_is_within_the_budget()
    {
        using var image = new Image<Rgb24>(1200, 1200, new Rgb24(30, 120, 200));
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 85 });
        Assert.Null(CoverPixels.Refusal(jpeg.ToArray()));
    }

    [Theory]
    [InlineData(5000, 5000, true)] // exactly 25 megapixels
    [InlineData(5001, 5000, false)]
    [InlineData(65535, 1, true)] // a strip: few pixels, however long
    [InlineData(65535, 65535, false)]
    public void The_budget_counts_pixels_not_sides(int width, int height, bool within) =>
        Assert.Equal(within, CoverPixels.Refusal(CoverBomb.GifOf(width, height, 1)) is null);

    [Theory]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x40 })] // GIF89a, cut in its header
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 })] // a JPEG start and nothing more
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 })] // a PNG cut before its IHDR
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67, 0x3E })] // <svg>
    public void A_header_no_decoder_reads_is_refused_with_a_reason_not_an_exception(byte[] bytes)
    {
        var refusal = CoverPixels.Refusal(bytes);
        Assert.NotNull(refusal);
        Assert.DoesNotContain('\n', refusal);
    }

    [Fact]
    public void An_animated_webp_counts_every_frame_it_would_decode()
    {
        Assert.Equal(3, CoverPixels.FramesDecoded(CoverBomb.AnimatedWebp(3)));
        Assert.Equal(1, CoverPixels.FramesDecoded(CoverBomb.GifOf(100, 100, 5))); // a GIF is decoded to its first frame only
        Assert.Equal(1, CoverPixels.FramesDecoded([0x52, 0x49, 0x46, 0x46, 0xFF, 0xFF, 0xFF, 0x7F, 0x57, 0x45, 0x42, 0x50, 0x41, 0x4E, 0x4D, 0x46, 0xFF, 0xFF, 0xFF, 0xFF]));
    }
}
