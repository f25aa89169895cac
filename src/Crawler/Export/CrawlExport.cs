using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Export;

/// <summary>What an export wrote.</summary>
public sealed record ExportSummary(string Directory, int Rows, int Covers, long CoverBytes);

/// <summary>Writes a crawl's own rows (its snapshot, whatever other crawls did since) to a folder: <c>playlists.csv</c>, <c>playlists.jsonl</c>, <c>playlists.parquet</c> and <c>covers/&lt;playlist_id&gt;.jpg</c>.</summary>
public sealed class CrawlExport(CrawlItemTable items, CoverStore covers)
{
    public async Task<ExportSummary> WriteAsync(CrawlInfo crawl, string directory, CancellationToken ct)
    {
        var records = new List<PlaylistRecord>();
        await foreach (var r in items.ReadRowsAsync(crawl.CrawlId, crawl.Categories, ct)) records.Add(r);

        Directory.CreateDirectory(directory);
        var coverDir = Path.Combine(directory, "covers");
        Directory.CreateDirectory(coverDir);
        // Write to temporary names first, so a reader never sees half a file.
        await WriteFileAsync(Path.Combine(directory, "playlists.csv"), s => PlaylistCsv.WriteAsync(s, records.ToAsyncEnumerable(), ct));
        await WriteFileAsync(Path.Combine(directory, "playlists.jsonl"), s => PlaylistJsonl.WriteAsync(s, records.ToAsyncEnumerable(), ct));
        await WriteFileAsync(Path.Combine(directory, "playlists.parquet"), s => PlaylistParquet.WriteAsync(s, records.ToAsyncEnumerable(), ct));

        var coverCount = 0;
        long coverBytes = 0;
        foreach (var id in records.Where(r => r.Cover is not null).Select(r => r.Detail.Id).Distinct())
        {
            var blob = covers.ContainerClient.GetBlobClient(CoverStore.BlobName(id));
            var path = Path.Combine(coverDir, CoverStore.BlobName(id));
            await WriteFileAsync(path, s => blob.DownloadToAsync(s, ct));
            coverCount++;
            coverBytes += new FileInfo(path).Length;
        }
        return new ExportSummary(Path.GetFullPath(directory), records.Count, coverCount, coverBytes);
    }

    public Task WriteParquetAsync(CrawlInfo crawl, IEnumerable<string> categories, Stream output, CancellationToken ct) =>
        PlaylistParquet.WriteAsync(output, items.ReadRowsAsync(crawl.CrawlId, categories, ct), ct);

    public Task WriteCsvAsync(CrawlInfo crawl, IEnumerable<string> categories, Stream output, CancellationToken ct) =>
        PlaylistCsv.WriteAsync(output, items.ReadRowsAsync(crawl.CrawlId, categories, ct), ct);

    private static async Task WriteFileAsync(string path, Func<Stream, Task> write)
    {
        var temp = path + ".partial";
        await using (var file = File.Create(temp)) await write(file);
        File.Move(temp, path, overwrite: true);
    }
}
