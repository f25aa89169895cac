using System.Runtime.CompilerServices;
using System.Text.Json;

namespace FunctionsCrawler.NetEase;

/// <summary>
/// Reads a song detail answer (<c>/api/v3/song/detail?c=[{"id":N},…]</c> →
/// <c>{"code":200,"songs":[{"id","name","ar":[{"id","name"}],"al":{"id","name"},"dt"},…],"privileges":[…]}</c>) into the
/// songs asked for and the ids it left out.
/// </summary>
public static class SongDetailParser
{
    /// <summary>Problem lines kept per answer; the rest are counted in one more line.</summary>
    public const int MaxProblems = 20;

    /// <summary>The longest duration taken as a song's (24 h, in ms): a longer <c>dt</c> is not a duration but a fault.</summary>
    public const long MaxDurationMs = 24 * 60 * 60 * 1000;

    /// <summary>
    /// Blocked / Gone as <see cref="ResponseClassifier"/> says (a -460, -462, 405/406 code, HTTP 503, an empty body…;
    /// a 404, 301, 401 or 20001 code). Malformed, with one line saying what was wrong, when the body is not JSON, its root
    /// is not an object, it carries an unknown non-200 code, <c>songs</c> is missing, null or not an array, or no item of
    /// a non-empty <c>songs</c> has an id. Otherwise Ok, with a line in <see cref="SongBatch.Problems"/> for each of:
    /// an item without a whole-number id above 0 (skipped), a song not in <paramref name="asked"/> (dropped), a song
    /// given twice (kept once), a missing name (kept as ""), an artist without a usable id (0) or name (""), a
    /// <c>dt</c> that is not a duration of 0 to 24 h (null). Ids asked for that no song carries are
    /// <see cref="SongBatch.Unknown"/>, in the order asked. Names are trimmed and otherwise kept as given, as the
    /// playlists' are (control characters included: logs clean them on their way out).
    /// </summary>
    public static PageResult<SongBatch> Parse(int httpStatus, string body, IReadOnlyCollection<long> asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        return JsonAnswer.Read(httpStatus, body, root => Read(root, asked));
    }

    private static PageResult<SongBatch> Read(JsonElement root, IReadOnlyCollection<long> asked)
    {
        if (!root.TryGetProperty("songs", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            return PageResult<SongBatch>.Malformed("song answer has no songs");
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            return PageResult<SongBatch>.Malformed($"song answer's songs is {items.ValueKind}, not an array");
        }

        var wanted = asked.ToHashSet();
        var problems = new ProblemLines(MaxProblems);
        var songs = new List<Song>();
        var found = new HashSet<long>();
        var skipped = new StrongBox<int>();
        foreach (var (index, item, id) in JsonAnswer.ItemsWithId(items, "songs", "song", problems, skipped))
        {
            if (!wanted.Contains(id))
            {
                problems.Add($"songs[{index}]: song {id} was not asked for: dropped");
                continue;
            }

            if (!found.Add(id))
            {
                problems.Add($"songs[{index}]: song {id} is in the answer already: kept once");
                continue;
            }

            songs.Add(ReadSong(item, id, problems));
        }

        var length = items.GetArrayLength();
        if (length > 0 && skipped.Value == length)
        {
            return PageResult<SongBatch>.Malformed($"none of the {length} songs has a song id");
        }

        var unknown = asked.Distinct().Where(id => !found.Contains(id)).ToList();
        return PageResult<SongBatch>.Ok(new SongBatch(songs, unknown, problems.Lines()));
    }

    private static Song ReadSong(JsonElement item, long id, ProblemLines problems)
    {
        var (name, nameTrouble) = JsonAnswer.ReadText(item, "name");
        if (name is null)
        {
            problems.Add($"song {id}: {nameTrouble}: name kept empty");
        }

        var (artistIds, artistNames) = ReadArtists(item, id, problems);
        var (albumId, albumName) = ReadAlbum(item, id, problems);
        return new Song(id, name?.Trim() ?? "", artistIds, artistNames, albumId, albumName, ReadDuration(item, id, problems));
    }

    /// <summary><c>ar[]</c>: one id and one name per artist object, in step; an artist with no page on the site has id 0.</summary>
    private static (List<long> Ids, List<string> Names) ReadArtists(JsonElement item, long id, ProblemLines problems)
    {
        var ids = new List<long>();
        var names = new List<string>();
        if (!item.TryGetProperty("ar", out var artists) || artists.ValueKind != JsonValueKind.Array)
        {
            problems.Add(artists.ValueKind == JsonValueKind.Undefined ? $"song {id}: no ar: no artists" : $"song {id}: ar is {artists.ValueKind}, not an array: no artists");
            return (ids, names);
        }

        var k = -1;
        foreach (var artist in artists.EnumerateArray())
        {
            k++;
            if (artist.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"song {id}: ar[{k}] is {artist.ValueKind}, not an artist: skipped");
                continue;
            }

            var artistId = JsonAnswer.ReadNumber(artist, "id");
            if (artistId.Value is not >= 0)
            {
                problems.Add($"song {id}: ar[{k}] has no artist id ({artistId.Trouble ?? $"id {artistId.Value} is negative"}): read as 0");
            }

            var (artistName, trouble) = JsonAnswer.ReadText(artist, "name");
            if (artistName is null)
            {
                problems.Add($"song {id}: ar[{k}] {trouble}: name kept empty");
            }

            ids.Add(artistId.Value is >= 0 ? artistId.Value.Value : 0);
            names.Add(artistName?.Trim() ?? "");
        }

        return (ids, names);
    }

    /// <summary><c>al</c>: its id (null for the site's 0: no album) and its name (null when empty).</summary>
    private static (long? Id, string? Name) ReadAlbum(JsonElement item, long id, ProblemLines problems)
    {
        if (!item.TryGetProperty("al", out var album) || album.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (album.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"song {id}: al is {album.ValueKind}, not an album: none");
            return (null, null);
        }

        var albumId = JsonAnswer.ReadNumber(album, "id");
        if (albumId.Value is < 0 || (albumId.Value is null && album.TryGetProperty("id", out var given) && given.ValueKind != JsonValueKind.Null))
        {
            problems.Add($"song {id}: al has no album id ({albumId.Trouble ?? $"id {albumId.Value} is negative"})");
        }

        var name = JsonAnswer.ReadString(album, "name")?.Trim();
        return (albumId.Value is > 0 ? albumId.Value : null, string.IsNullOrEmpty(name) ? null : name);
    }

    /// <summary><c>dt</c> in ms, when it is a duration of 0 to <see cref="MaxDurationMs"/>; null (with a line) otherwise.</summary>
    private static long? ReadDuration(JsonElement item, long id, ProblemLines problems)
    {
        var dt = JsonAnswer.ReadNumber(item, "dt");
        var trouble = dt.Value switch
        {
            null => dt.Trouble,
            < 0 => $"dt {dt.Value} ms is negative",
            > MaxDurationMs => $"dt {dt.Value} ms is over 24 h",
            _ => null,
        };
        if (trouble is null)
        {
            return dt.Value;
        }

        problems.Add($"song {id}: {trouble}: duration unknown");
        return null;
    }
}
