using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Storage;

/// <summary>
/// Table <c>Tracks</c>: every song any playlist listed, once, shared by every playlist and crawl; a song the site did not
/// return when asked is kept as unknown (its id stays in the playlists' lists and is counted, and it is not asked again).
/// One partition, RowKey = the id (19 digits, so the table reads in id order): a song batch is written a hundred rows to a
/// transaction. Which ids are known is kept in memory per process (<see cref="UnknownAsync"/>), read once from the table's
/// keys, so a crawl asks storage nothing per track.
/// </summary>
public sealed class TrackTable(StorageClients storage)
{
    public const string Name = "Tracks";
    private const string Partition = "track";

    private readonly TableClient _table = storage.Tables.GetTableClient(Name);
    private readonly Lock _gate = new();
    private Task<HashSet<long>>? _known;

    public Task EnsureCreatedAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    /// <summary>
    /// The ids of <paramref name="ids"/> (in their order, each once) that the table holds neither as a song nor as unknown.
    /// The first call of a process reads the table's keys; later ones ask nothing (another process's songs stored since
    /// then are asked again at worst, and written again alike).
    /// </summary>
    public async Task<IReadOnlyList<long>> UnknownAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        var known = await KnownAsync(ct);
        lock (known) return ids.Distinct().Where(id => !known.Contains(id)).ToList();
    }

    /// <summary>Stores songs and the ids the site left out (unknown), a hundred rows to a transaction.</summary>
    public async Task SaveAsync(IReadOnlyList<Song> songs, IReadOnlyList<long> unknown, DateTimeOffset at, CancellationToken ct)
    {
        var entities = songs.Select(s => ToEntity(s, at))
            .Concat(unknown.Except(songs.Select(s => s.Id)).Select(id => new TableEntity(Partition, RowKey(id)) { ["TrackId"] = id, ["Unknown"] = true, ["FetchedAt"] = at }));
        foreach (var batch in TableBatches.Split(entities.DistinctBy(e => e.RowKey).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))))
            await _table.SubmitTransactionAsync(batch, ct);
        var known = await KnownAsync(ct);
        lock (known)
        {
            foreach (var s in songs) known.Add(s.Id);
            foreach (var id in unknown) known.Add(id);
        }
    }

    /// <summary>The stored songs of these ids (unknown ones left out), keyed by id: one read per id, several at a time.</summary>
    public async Task<IReadOnlyDictionary<long, Song>> GetAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<long, Song>();
        await Parallel.ForEachAsync(ids.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, RowKey(id), cancellationToken: token);
            if (row.HasValue && row.Value is { } e && FromEntity(e) is { } song) found[id] = song;
        });
        return found;
    }

    /// <summary>Every stored song in id order (unknown ids left out).</summary>
    public async IAsyncEnumerable<Song> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, maxPerPage: 1000, cancellationToken: ct))
            if (FromEntity(e) is { } song) yield return song;
    }

    private Task<HashSet<long>> KnownAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            // Read once per process; a read that failed is tried again by the next caller.
            if (_known is null || _known.IsFaulted || _known.IsCanceled) _known = LoadKnownAsync();
            return _known.WaitAsync(ct);
        }
    }

    private async Task<HashSet<long>> LoadKnownAsync()
    {
        var ids = new HashSet<long>();
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, maxPerPage: 1000, select: ["RowKey"]))
            ids.Add(long.Parse(e.RowKey, CultureInfo.InvariantCulture));
        return ids;
    }

    private static string RowKey(long id) => id.ToString("D19", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(Song s, DateTimeOffset at) => new(Partition, RowKey(s.Id))
    {
        ["TrackId"] = s.Id,
        ["Name"] = TableText.Cap(s.Name),
        ["ArtistIds"] = JsonSerializer.Serialize(s.ArtistIds),
        ["ArtistNames"] = TableText.Cap(JsonSerializer.Serialize(s.ArtistNames)),
        ["AlbumId"] = s.AlbumId,
        ["AlbumName"] = s.AlbumName is null ? null : TableText.Cap(s.AlbumName),
        ["DurationMs"] = s.DurationMs,
        ["FetchedAt"] = at,
    };

    private static Song? FromEntity(TableEntity e)
    {
        if (e.GetBoolean("Unknown") == true) return null;
        var names = TryList<string>(e.GetString("ArtistNames"));
        var ids = TryList<long>(e.GetString("ArtistIds"));
        return new Song(e.GetInt64("TrackId") ?? long.Parse(e.RowKey, CultureInfo.InvariantCulture), e.GetString("Name") ?? "",
            ids, names, e.GetInt64("AlbumId"), e.GetString("AlbumName"), e.GetInt64("DurationMs"));
    }

    private static List<T> TryList<T>(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try { return JsonSerializer.Deserialize<List<T>>(json) ?? []; }
        catch (JsonException) { return []; } // cut to fit storage: the names are lost, not the song
    }
}
