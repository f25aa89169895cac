using System.Collections.Concurrent;
using FunctionsCrawler.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FunctionsCrawler.Data;

/// <summary>A cover's thumbnail (a JPEG), or why it has none.</summary>
public sealed record CoverThumbnail(byte[]? Jpeg, string? Problem);

/// <summary>
/// Makes covers' thumbnails, JPEGs at most <see cref="Size"/> px on their longer side, with what one costs the host
/// bounded: the header is read first and a cover over <see cref="CoverPixels.Budget"/> is not decoded; only its first
/// frame is decoded, at most <see cref="DecodesAtOnce"/> at a time in this process; and a cover that gave no thumbnail is
/// remembered by its sha256 (at most <see cref="FailuresRemembered"/>), so a dashboard that shows it again costs nothing.
/// </summary>
public sealed class CoverThumbnails : IDisposable
{
    public const int Size = 160;

    /// <summary>Two: a gallery's 50 thumbnails are made in a few seconds, and two decodes within the budget hold about 200 MB of pixels at most.</summary>
    public const int DecodesAtOnce = 2;

    /// <summary>Sha256 keys of about 100 bytes each; past this the memory starts over (a cover is then read once more).</summary>
    public const int FailuresRemembered = 10_000;

    private readonly SemaphoreSlim _decodes = new(DecodesAtOnce, DecodesAtOnce);
    private readonly ConcurrentDictionary<string, string> _failed = new(StringComparer.Ordinal);

    /// <summary>Why the cover of this sha256 gave no thumbnail in this process, or null.</summary>
    public string? FailureOf(string coverSha256) => _failed.GetValueOrDefault(coverSha256);

    /// <summary>The thumbnail of a cover whose sha256 is <paramref name="coverSha256"/>, or why there is none (then remembered).</summary>
    public async Task<CoverThumbnail> MakeAsync(string coverSha256, byte[] cover, CancellationToken ct)
    {
        if (FailureOf(coverSha256) is { } known) return new CoverThumbnail(null, known);
        var problem = CoverPixels.Refusal(cover);
        if (problem is null)
        {
            await _decodes.WaitAsync(ct);
            try
            {
                return new CoverThumbnail(Encode(cover), null);
            }
            catch (Exception e) when (e is ImageFormatException or InvalidMemoryOperationException or NotSupportedException or ArgumentException or IOException)
            {
                problem = $"the cover could not be decoded ({e.Message})";
            }
            finally
            {
                _decodes.Release();
            }
        }
        if (_failed.Count >= FailuresRemembered) _failed.Clear();
        _failed[coverSha256] = problem;
        return new CoverThumbnail(null, problem);
    }

    /// <summary>The cover's first frame, decoded as <see cref="CoverPixels.Decoding"/> says (the caller checked the budget).</summary>
    internal static Image<Rgba32> DecodeFirstFrame(byte[] cover) => Image.Load<Rgba32>(CoverPixels.Decoding, cover);

    private static byte[] Encode(byte[] cover)
    {
        using var decoded = DecodeFirstFrame(cover);
        decoded.Mutate(x =>
        {
            if (decoded.Width > Size || decoded.Height > Size)
                x.Resize(new ResizeOptions { Size = new Size(Size, Size), Mode = ResizeMode.Max });
            x.BackgroundColor(Color.White); // JPEG has no alpha: transparent parts become white, not black
        });
        using var output = new MemoryStream();
        decoded.SaveAsJpeg(output, new JpegEncoder { Quality = 80 });
        return output.ToArray();
    }

    public void Dispose() => _decodes.Dispose();
}
