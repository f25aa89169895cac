using System.Text.Json;
using FunctionsCrawler.Sandbox.Faults;
using Microsoft.Extensions.Configuration;
using SixLabors.ImageSharp;

namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>The bomb covers: small files that pass an image sniff and claim a huge canvas, served for the ids asked.</summary>
public sealed class BombCoverTests
{
    private static List<SandboxPlaylist> Ordinary(SandboxSite site) =>
        site.Catalog.PageIds("说唱", 0).Select(site.Catalog.Playlist).Where(p => p.Kind == CoverKind.Ok && !p.Deleted).ToList();

    [Fact]
    public async Task A_bomb_cover_is_a_gif_for_an_even_id_and_a_png_for_an_odd_one_at_every_size()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions());
        var playlists = Ordinary(site);
        var even = playlists.First(p => p.Id % 2 == 0);
        var odd = playlists.First(p => p.Id % 2 == 1);
        var ordinary = playlists.First(p => p.Id != even.Id && p.Id != odd.Id);
        site.Options.BombCoverIds = $"{even.Id},{odd.Id}";
        using var client = new SiteClient(site);

        foreach (var suffix in new[] { "", "?param=140y140" })
        {
            using var gif = await client.GetAsync(even.CoverUrl + suffix);
            Assert.Equal("image/gif", gif.Content.Headers.ContentType!.MediaType);
            var gifBytes = await gif.Content.ReadAsByteArrayAsync();
            Assert.Equal(CoverBomb.Gif, gifBytes);
            Assert.InRange(gifBytes.Length, 1, 200);
            Assert.Equal((8000, 8000), Size(gifBytes));
            Assert.Equal(CoverBomb.GifFrames, gifBytes.Count(b => b == 0x2C)); // one image descriptor a frame (no other byte is 0x2C)

            using var png = await client.GetAsync(odd.CoverUrl + suffix);
            Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
            var pngBytes = await png.Content.ReadAsByteArrayAsync();
            Assert.Equal(CoverBomb.Png, pngBytes);
            Assert.InRange(pngBytes.Length, 10_000, 200_000);
            Assert.Equal((7900, 7900), Size(pngBytes));
        }
        Assert.Equal(site.Catalog.CoverBytes(ordinary.Id), await client.BytesAsync(ordinary.CoverUrl));

        site.Options.BombCoverIds = ""; // settable while running
        Assert.Equal(site.Catalog.CoverBytes(even.Id), await client.BytesAsync(even.CoverUrl));
    }

    [Fact]
    public async Task The_bomb_shape_can_be_fixed_and_a_rate_picks_the_same_playlists_for_a_seed()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { BombCoverShape = "png", BombCoverRate = 0.5, Seed = 4 });
        var ids = Enumerable.Range(0, 3).SelectMany(page => site.Catalog.PageIds("说唱", page)).Distinct().ToList();
        var bombs = ids.Where(site.Options.ServesBombCover).ToList();
        Assert.InRange(bombs.Count, ids.Count / 4, ids.Count * 3 / 4);
        Assert.Equal(bombs, ids.Where(new SandboxOptions { BombCoverRate = 0.5, Seed = 4 }.ServesBombCover));
        Assert.NotEqual(bombs, ids.Where(new SandboxOptions { BombCoverRate = 0.5, Seed = 5 }.ServesBombCover));

        using var client = new SiteClient(site);
        var bomb = Ordinary(site).First(p => site.Options.ServesBombCover(p.Id) && p.Id % 2 == 0);
        Assert.Equal(CoverBomb.Png, await client.BytesAsync(bomb.CoverUrl));
    }

    [Fact]
    public async Task Expected_does_not_count_a_bomb_cover_as_stored()
    {
        await using var site = await SandboxSite.StartAsync(new SandboxOptions { PagesPerCategory = 1 });
        using var client = new SiteClient(site);
        var path = "/_sandbox/expected?categories=" + Uri.EscapeDataString("说唱");
        using var before = JsonDocument.Parse(await client.TextAsync(path));
        var playlists = Ordinary(site);
        site.Options.BombCoverIds = $"{playlists[0].Id},{playlists[1].Id}";
        using var after = JsonDocument.Parse(await client.TextAsync(path));
        Assert.Equal(before.RootElement.GetProperty("coversStored").GetInt32() - 2, after.RootElement.GetProperty("coversStored").GetInt32());
        Assert.Equal(before.RootElement.GetProperty("rows").GetInt32(), after.RootElement.GetProperty("rows").GetInt32());
    }

    [Fact]
    public void Bomb_options_bind_and_bad_values_are_refused()
    {
        var options = SandboxOptions.From(new ConfigurationBuilder().AddCommandLine(
            ["--Sandbox:BombCoverIds=12, 13", "--Sandbox:BombCoverRate=0.25", "--Sandbox:BombCoverShape=gif"]).Build());
        Assert.Equal(("12,13", 0.25, "gif"), (options.BombCoverIds, options.BombCoverRate, options.BombCoverShape));
        Assert.True(options.ServesBombCover(13) && options.BombCoverIsGif(13));

        var defaults = SandboxOptions.From(new ConfigurationBuilder().Build());
        Assert.Equal(("", 0.0, "rotate"), (defaults.BombCoverIds, defaults.BombCoverRate, defaults.BombCoverShape));

        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { BombCoverRate = 1.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SandboxOptions { BombCoverShape = "jpeg" }.Validate());
        Assert.Throws<ArgumentException>(() => new SandboxOptions { BombCoverIds = "abc" });
    }

    /// <summary>The size an image's header claims: read, never decoded.</summary>
    private static (int Width, int Height) Size(byte[] image)
    {
        var info = Image.Identify(image);
        return (info.Width, info.Height);
    }
}
