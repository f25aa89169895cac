using FunctionsCrawler.Data;
using FunctionsCrawler.Sandbox.Faults;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace FunctionsCrawler.Tests.Data;

/// <summary>Thumbnails: ordinary covers shrink to 160 px; a bomb is never decoded, and a failure is remembered.</summary>
public sealed class CoverThumbnailsTests
{
    private static byte[] Jpeg(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(30, 120, 200));
        using var output = new MemoryStream();
        image.SaveAsJpeg(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    [Fact]
    public async Task An_ordinary_1200_px_jpeg_becomes_a_160_px_jpeg()
    {
        using var thumbnails = new CoverThumbnails();
        var made = await thumbnails.MakeAsync("a", Jpeg(1200, 1200), default);
        Assert.Null(made.Problem);
        using var thumbnail = Image.Load(made.Jpeg!);
        Assert.Equal((160, 160), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public void Only_the_first_frame_of_a_gif_is_decoded()
    {
        using var animation = new Image<Rgba32>(64, 64, new Rgba32(255, 0, 0));
        using (var blue = new Image<Rgba32>(64, 64, new Rgba32(0, 0, 255)))
        {
            animation.Frames.AddFrame(blue.Frames.RootFrame);
            animation.Frames.AddFrame(blue.Frames.RootFrame);
        }
        using var gif = new MemoryStream();
        animation.SaveAsGif(gif, new GifEncoder());
        using var check = Image.Load(gif.ToArray());
        Assert.Equal(3, check.Frames.Count); // the file holds three frames

        using var decoded = CoverThumbnails.DecodeFirstFrame(gif.ToArray());
        Assert.Equal(1, decoded.Frames.Count);
        Assert.True(decoded[32, 32].R > 200 && decoded[32, 32].B < 60, "the first frame is the red one");
    }

    [Fact]
    public async Task A_bomb_has_no_thumbnail_and_is_remembered_so_it_is_not_read_again()
    {
        using var thumbnails = new CoverThumbnails();
        var bomb = await thumbnails.MakeAsync("bomb", CoverBomb.GifOf(8000, 8000, 4), default);
        Assert.Null(bomb.Jpeg);
        Assert.Contains("over the 25-megapixel budget", bomb.Problem);
        Assert.Equal(bomb.Problem, thumbnails.FailureOf("bomb"));

        // The same cover (its sha256) is answered from memory: these bytes are not even looked at.
        var again = await thumbnails.MakeAsync("bomb", Jpeg(100, 100), default);
        Assert.Equal((null, bomb.Problem), (again.Jpeg, again.Problem));
        Assert.Null(thumbnails.FailureOf("another"));
    }

    [Fact]
    public async Task A_cover_that_does_not_decode_is_a_problem_in_a_line_and_remembered()
    {
        using var thumbnails = new CoverThumbnails();
        var cut = Jpeg(300, 300)[..400]; // a header that reads, and no image data after it
        var made = await thumbnails.MakeAsync("cut", cut, default);
        Assert.Null(made.Jpeg);
        Assert.DoesNotContain('\n', made.Problem!);
        Assert.Equal(made.Problem, thumbnails.FailureOf("cut"));
    }

    [Fact]
    public async Task The_failures_remembered_are_bounded()
    {
        using var thumbnails = new CoverThumbnails();
        var bomb = CoverBomb.GifOf(8000, 8000, 1);
        for (var i = 0; i <= CoverThumbnails.FailuresRemembered; i++)
            await thumbnails.MakeAsync($"bomb-{i}", bomb, default);
        Assert.Null(thumbnails.FailureOf("bomb-0")); // the memory started over
        Assert.NotNull(thumbnails.FailureOf($"bomb-{CoverThumbnails.FailuresRemembered}"));
    }
}
