using System.Text.Encodings.Web;
using System.Text.Json;
using FunctionsCrawler.Storage;

namespace FunctionsCrawler.Export;

/// <summary><c>playlists.jsonl</c>: the CSV's columns as one JSON object per line, with raw (unguarded) values.</summary>
public static class PlaylistJsonl
{
    // The file is data, never embedded in a page: keep Chinese text readable instead of \u-escaped.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<PlaylistRecord> records, CancellationToken ct)
    {
        await foreach (var r in records.WithCancellation(ct))
        {
            using var buffer = new MemoryStream();
            await using (var json = new Utf8JsonWriter(buffer, Options))
            {
                var d = r.Detail;
                json.WriteStartObject();
                json.WriteNumber("playlist_id", d.Id);
                json.WriteString("category", r.Category);
                json.WriteString("name", d.Name);
                if (d.CreatorId is { } creator) json.WriteNumber("creator_id", creator); else json.WriteNull("creator_id");
                json.WriteString("creator_nickname", d.CreatorNickname);
                json.WriteString("description", d.Description);
                json.WriteNumber("track_count", d.TrackCount);
                if (r.Tracks is { } tracks) json.WriteNumber("tracks_listed", tracks.Listed); else json.WriteNull("tracks_listed");
                json.WriteNumber("play_count", d.PlayCount);
                json.WriteNumber("subscribed_count", d.SubscribedCount);
                json.WriteNumber("share_count", d.ShareCount);
                json.WriteNumber("comment_count", d.CommentCount);
                json.WriteStartArray("tags");
                foreach (var tag in d.Tags) json.WriteStringValue(tag);
                json.WriteEndArray();
                WriteTime(json, "created_at", d.CreatedAt);
                json.WriteString("cover_url", d.CoverUrl);
                json.WriteString("cover_blob", r.Cover?.Blob);
                if (r.Cover is { } cover) json.WriteNumber("cover_bytes", cover.Bytes); else json.WriteNull("cover_bytes");
                json.WriteString("cover_sha256", r.Cover?.Sha256);
                WriteTime(json, "crawled_at", r.CrawledAt);
                json.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            buffer.Position = 0;
            await buffer.CopyToAsync(output, ct);
        }
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, PlaylistCsv.Time(value));
    }
}
