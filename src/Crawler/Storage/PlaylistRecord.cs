using Azure.Data.Tables;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Storage;

/// <summary>One row of the dataset: a playlist as seen in one category, with its stored cover.</summary>
public sealed record PlaylistRecord
{
    public required string Category { get; init; }
    public required PlaylistDetail Detail { get; init; }
    public StoredCover? Cover { get; init; }
    public required string CrawlId { get; init; }
    public required DateTimeOffset CrawledAt { get; init; }
    /// <summary>Which text fields were cut to fit Table storage, and from what length (null when none was).</summary>
    public string? TextCut { get; init; }
    /// <summary>The playlist's track list this crawl saw (null when tracks are off, or for a row recorded before they were kept).</summary>
    public TrackListRef? Tracks { get; init; }

    internal TableEntity ToEntity(string partitionKey)
    {
        var d = Detail;
        return new TableEntity(partitionKey, d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            ["Category"] = Category,
            ["PlaylistId"] = d.Id,
            ["Name"] = d.Name,
            ["CreatorId"] = d.CreatorId,
            ["CreatorNickname"] = d.CreatorNickname,
            ["Description"] = d.Description,
            ["TrackCount"] = d.TrackCount,
            ["PlayCount"] = d.PlayCount,
            ["SubscribedCount"] = d.SubscribedCount,
            ["ShareCount"] = d.ShareCount,
            ["CommentCount"] = d.CommentCount,
            ["Tags"] = string.Join(';', d.Tags),
            ["CreatedAt"] = d.CreatedAt,
            ["CoverUrl"] = d.CoverUrl,
            ["CoverBlob"] = Cover?.Blob,
            ["CoverBytes"] = Cover?.Bytes,
            ["CoverSha256"] = Cover?.Sha256,
            ["CrawlId"] = CrawlId,
            ["CrawledAt"] = CrawledAt,
            ["TextCut"] = TextCut,
            ["TracksKey"] = Tracks?.Key,
            ["TracksListed"] = Tracks?.Listed,
            ["TracksUpdatedAt"] = Tracks?.UpdatedAt,
            ["TracksFlag"] = Tracks?.Flag,
        };
    }

    internal static PlaylistRecord FromEntity(TableEntity e)
    {
        var blob = e.GetString("CoverBlob");
        return new PlaylistRecord
        {
            Category = e.GetString("Category") ?? "",
            CrawlId = e.GetString("CrawlId") ?? "",
            CrawledAt = e.GetDateTimeOffset("CrawledAt") ?? default,
            TextCut = e.GetString("TextCut"),
            Tracks = e.GetString("TracksKey") is { Length: > 0 } tracksKey
                ? new TrackListRef(tracksKey, e.GetInt32("TracksListed") ?? 0, e.GetDateTimeOffset("TracksUpdatedAt"), e.GetString("TracksFlag"))
                : null,
            Cover = string.IsNullOrEmpty(blob) ? null
                : new StoredCover(blob, e.GetInt64("CoverBytes") ?? 0, e.GetString("CoverSha256") ?? ""),
            Detail = new PlaylistDetail
            {
                Id = e.GetInt64("PlaylistId") ?? long.Parse(e.RowKey, System.Globalization.CultureInfo.InvariantCulture),
                Name = e.GetString("Name") ?? "",
                CreatorId = e.GetInt64("CreatorId"),
                CreatorNickname = e.GetString("CreatorNickname"),
                Description = e.GetString("Description") ?? "",
                TrackCount = e.GetInt64("TrackCount") ?? 0,
                PlayCount = e.GetInt64("PlayCount") ?? 0,
                SubscribedCount = e.GetInt64("SubscribedCount") ?? 0,
                ShareCount = e.GetInt64("ShareCount") ?? 0,
                CommentCount = e.GetInt64("CommentCount") ?? 0,
                Tags = (e.GetString("Tags") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries),
                CreatedAt = e.GetDateTimeOffset("CreatedAt"),
                CoverUrl = e.GetString("CoverUrl"),
            },
        };
    }
}
