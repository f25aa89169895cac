using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace FunctionsCrawler.NetEase;

/// <summary>Reads a playlist detail page (<c>/playlist?id=N</c>) into a <see cref="PlaylistDetail"/>.</summary>
public static partial class PlaylistPageParser
{
    private const string TitleSuffix = " - 歌单 - 网易云音乐";

    // The page shows Beijing time; the crawl stores UTC.
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // Dates before this are junk (and year 1 in Beijing time has no UTC value).
    private const int MinYear = 1970;

    /// <summary>
    /// Ok with every field the page shows; Malformed when the page is cut short (no <c>&lt;/html&gt;</c>),
    /// has no playlist name, belongs to another playlist than <paramref name="expectedId"/>, or prints a count
    /// too large for 64 bits (the reason names the count and quotes its text).
    /// </summary>
    public static PageResult<PlaylistDetail> Parse(int httpStatus, string body, long expectedId)
    {
        var (outcome, reason) = ResponseClassifier.Classify(httpStatus, body);
        if (outcome != PageOutcome.Ok)
        {
            return new PageResult<PlaylistDetail>(outcome, null, reason);
        }

        var document = new HtmlParser().ParseDocument(body);
        var operation = document.GetElementById("content-operation");
        var heading = document.QuerySelector("h2.f-ff2");
        var title = document.Title;
        if (operation is null && heading is null && string.IsNullOrWhiteSpace(title))
        {
            return PageResult<PlaylistDetail>.Malformed("page is not a playlist page (no name, no title, no buttons)");
        }

        if (!body.Contains("</html>", StringComparison.OrdinalIgnoreCase))
        {
            return PageResult<PlaylistDetail>.Malformed("playlist page is truncated (no </html>)");
        }

        var share = Button(document, "share");
        foreach (var pageId in new[]
                 {
                     ListPageParser.ParseId(share?.GetAttribute("data-res-id")),
                     ListPageParser.ParseId(operation?.GetAttribute("data-rid")),
                     ListPageParser.IdFromHref(Meta(document, "og:url")),
                     ListPageParser.IdFromHref(document.QuerySelector("link[rel=canonical]")?.GetAttribute("href")),
                 })
        {
            if (pageId is { } id && id != expectedId)
            {
                return PageResult<PlaylistDetail>.Malformed($"page is for playlist {id}, expected {expectedId}");
            }
        }

        var name = ListPageParser.FirstNonBlank(
            heading?.TextContent,
            NameFromTitle(title),
            Meta(document, "og:title"),
            share?.GetAttribute("data-res-name"));
        if (name is null)
        {
            return PageResult<PlaylistDetail>.Malformed("playlist page has no name");
        }

        var counts = ReadCounts(document);
        if (counts.Value is not { } count)
        {
            return counts.As<PlaylistDetail>();
        }

        var linkedData = ReadLinkedData(document);
        var coverImage = document.QuerySelector(".cover img.j-img");
        var cover = ListPageParser.FirstNonBlank(
            coverImage?.GetAttribute("data-src"),
            linkedData.Image,
            Meta(document, "og:image"),
            share?.GetAttribute("data-res-pic"),
            coverImage?.GetAttribute("src"));
        var creator = document.QuerySelector("div.user span.name a.s-fc7");

        return PageResult<PlaylistDetail>.Ok(new PlaylistDetail
        {
            Id = expectedId,
            Name = name,
            CoverUrl = cover is null ? null : NetEaseUrls.FullSizeCover(cover),
            CreatorId = ListPageParser.IdFromHref(creator?.GetAttribute("href")),
            CreatorNickname = ListPageParser.FirstNonBlank(creator?.TextContent),
            Description = ReadDescription(document.GetElementById("album-desc-more")),
            Tags = document.QuerySelectorAll("div.tags a.u-tag i")
                .Select(i => i.TextContent.Trim())
                .Where(t => t.Length > 0)
                .ToList(),
            TrackCount = count.TrackCount,
            PlayCount = count.PlayCount,
            SubscribedCount = count.SubscribedCount,
            ShareCount = count.ShareCount,
            CommentCount = count.CommentCount,
            CreatedAt = linkedData.Published ?? ReadCreatedDate(document.QuerySelector("span.time")),
        });
    }

    /// <summary>
    /// The five counts of a detail page, or of any fragment of one (a count that is not there reads 0);
    /// Malformed when one is printed with more digits than 64 bits hold.
    /// </summary>
    internal static PageResult<PageCounts> ReadCounts(IDocument document)
    {
        var fields = new (string Field, IElement? Element, bool IsButton)[]
        {
            ("track count", document.GetElementById("playlist-track-count"), false),
            ("play count", document.GetElementById("play-count"), false),
            ("subscribed count", Button(document, "fav"), true),
            ("share count", Button(document, "share"), true),
            ("comment count", document.GetElementById("cnt_comment_count"), false),
        };

        var values = new long[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var (field, element, isButton) = fields[i];
            if (element is null)
            {
                continue;
            }

            // A button's data-count is exact; without it the text is "(2034)", or a word when the count is zero.
            string?[] texts = isButton ? [element.GetAttribute("data-count"), element.TextContent] : [element.TextContent];
            foreach (var text in texts)
            {
                var reading = CountText.Read(text);
                if (reading.TooLarge)
                {
                    return PageResult<PageCounts>.Malformed($"{field} \"{ResponseClassifier.Quote(text)}\" does not fit in 64 bits");
                }

                if (reading.Value is { } value)
                {
                    values[i] = value;
                    break;
                }
            }
        }

        return PageResult<PageCounts>.Ok(new PageCounts(values[0], values[1], values[2], values[3], values[4]));
    }

    // The owner's own view (2023) has a fav button without data-res-action ("u-btni u-btni-fav u-btni-fav-dis2"),
    // so a button is also found by its class. Comment templates elsewhere on the page use spans, never links.
    private static IElement? Button(IDocument document, string action)
    {
        var operation = document.GetElementById("content-operation");
        return operation?.QuerySelector($"a[data-res-action={action}]")
            ?? operation?.QuerySelector($"a.u-btni-{action}")
            ?? document.QuerySelector($"a[data-res-action={action}]")
            ?? document.QuerySelector($"a.u-btni-{action}");
    }

    private static string? Meta(IDocument document, string property) =>
        document.QuerySelector($"meta[property='{property}']")?.GetAttribute("content");

    private static string? NameFromTitle(string? title)
    {
        var trimmed = title?.Trim();
        return trimmed is not null && trimmed.EndsWith(TitleSuffix, StringComparison.Ordinal)
            ? trimmed[..^TitleSuffix.Length]
            : null;
    }

    /// <summary>
    /// The text of <c>p#album-desc-more</c>: the leading <c>介绍：</c> label dropped, each <c>&lt;br&gt;</c> a "\n",
    /// entities decoded, the rest verbatim, the whole trimmed; "" when the paragraph is absent.
    /// </summary>
    private static string ReadDescription(IElement? paragraph)
    {
        if (paragraph is null)
        {
            return "";
        }

        var text = new StringBuilder();
        var afterBreak = false;
        var labelSeen = false;
        Append(paragraph);
        return text.ToString().Trim();

        void Append(INode parent)
        {
            foreach (var node in parent.ChildNodes)
            {
                switch (node)
                {
                    case IElement { LocalName: "br" }:
                        text.Append('\n');
                        afterBreak = true;
                        break;
                    case IElement { LocalName: "b" } label when !labelSeen && text.ToString().Trim().Length == 0
                        && label.TextContent.Trim() is "介绍：" or "介绍:":
                        labelSeen = true;
                        break;
                    case IElement element:
                        Append(element);
                        break;
                    case IText textNode:
                        var value = textNode.Data.Replace("\r\n", "\n", StringComparison.Ordinal);
                        // Markup written as "line<br />\nline" breaks once, as the browser shows it.
                        if (afterBreak && value.StartsWith('\n'))
                        {
                            value = value[1..];
                        }

                        text.Append(value);
                        afterBreak = false;
                        break;
                }
            }
        }
    }

    private static (string? Image, DateTimeOffset? Published) ReadLinkedData(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(script.TextContent, new JsonDocumentOptions
                {
                    AllowTrailingCommas = true,
                    CommentHandling = JsonCommentHandling.Skip,
                });
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                // User text (title, description) can break the site's JSON; the page markup still has the fields.
                continue;
            }

            using (json)
            {
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                string? image = null;
                if (json.RootElement.TryGetProperty("images", out var images)
                    && images.ValueKind == JsonValueKind.Array
                    && images.GetArrayLength() > 0
                    && images[0].ValueKind == JsonValueKind.String)
                {
                    image = JsonAnswer.Text(images[0]);
                }

                DateTimeOffset? published = null;
                if (json.RootElement.TryGetProperty("pubDate", out var pubDate) && pubDate.ValueKind == JsonValueKind.String)
                {
                    published = ParseBeijingTime(JsonAnswer.Text(pubDate));
                }

                return (image, published);
            }
        }

        return (null, null);
    }

    /// <summary><c>2016-03-17T12:57:22</c> in Beijing time (or with an explicit offset) as UTC.</summary>
    internal static DateTimeOffset? ParseBeijingTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (DateTime.TryParseExact(trimmed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            && local.Year >= MinYear)
        {
            return new DateTimeOffset(local, Beijing).ToUniversalTime();
        }

        // Only an explicit offset or Z here: a bare time must never pick up the machine's zone.
        if (DateTimeOffset.TryParseExact(trimmed, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset)
            || DateTimeOffset.TryParseExact(trimmed, UtcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out withOffset))
        {
            return withOffset.Year >= MinYear ? withOffset.ToUniversalTime() : null;
        }

        return null;
    }

    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm"];

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFzzz"];

    private static readonly string[] UtcFormats =
        ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFF'Z'"];

    // "2016-03-17&nbsp;创建": midnight Beijing time of that day.
    private static DateTimeOffset? ReadCreatedDate(IElement? time)
    {
        var match = time is null ? Match.Empty : DateText().Match(time.TextContent);
        if (!match.Success)
        {
            return null;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        if (year < MinYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        return new DateTimeOffset(year, month, day, 0, 0, 0, Beijing).ToUniversalTime();
    }

    [GeneratedRegex(@"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", RegexOptions.CultureInvariant)]
    private static partial Regex DateText();
}

/// <summary>The counts a detail page prints (see <see cref="PlaylistPageParser.ReadCounts"/>).</summary>
internal sealed record PageCounts(long TrackCount, long PlayCount, long SubscribedCount, long ShareCount, long CommentCount);
