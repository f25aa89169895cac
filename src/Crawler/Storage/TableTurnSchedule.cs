using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using FunctionsCrawler.NetEase;

namespace FunctionsCrawler.Storage;

/// <summary>
/// The shared schedule in Table storage: one row per politeness group (PartitionKey <c>pacer</c>, RowKey the group)
/// holding <c>NextTurnAt</c>, the schedule's next free slot in UTC ticks. A claim moves it on with an
/// ETag-conditional write; a process that lost the race (HTTP 412) reads the row again and retries. The row's
/// last ETag is kept, so a claim nobody raced costs one transaction (one process alone on the schedule); when
/// others claim too it reads first (two), and each lost race costs two more.
/// </summary>
public sealed class TableTurnSchedule : ITurnSchedule, IDisposable
{
    public const string Name = "Pacer";
    public const string Partition = "pacer";
    private const string NextTurnAt = "NextTurnAt";

    private readonly TableClient _table;
    private readonly ConcurrentDictionary<string, (long Next, ETag ETag)> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _raced = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _create = new(1, 1);
    private volatile bool _created;

    public void Dispose() => _create.Dispose();
    private long _transactions;

    public TableTurnSchedule(StorageClients storage) : this(storage.Tables.GetTableClient(Name)) { }

    public TableTurnSchedule(TableClient table) => _table = table;

    /// <summary>Storage transactions this process has spent on the schedule (creating the table included).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Claims this process has made.</summary>
    public long Claims => Interlocked.Read(ref _claims);
    private long _claims;

    public async Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(turns, 1);
        if (!_created) await CreateAsync(ct).ConfigureAwait(false);
        var known = _known.GetValueOrDefault(group);
        var (next, etag) = (known.Next, known.ETag);
        // Alone on the schedule, the row is as this process last wrote it: one conditional write per claim. When
        // other processes claim too, the kept ETag is mostly stale: reading first saves the write that would fail.
        var raced = _raced.GetValueOrDefault(group);
        if (etag == default || raced > 0.5)
        {
            (next, etag) = await ReadAsync(group, ct).ConfigureAwait(false);
            if (known.ETag != default) _raced[group] = Learn(raced, etag != known.ETag);
        }
        for (var tries = 0; ; tries++)
        {
            var start = Math.Max(next, notBefore.UtcTicks);
            var entity = new TableEntity(Partition, group) { [NextTurnAt] = start + turns * spacing.Ticks };
            try
            {
                Count();
                var response = etag == default
                    ? await _table.AddEntityAsync(entity, ct).ConfigureAwait(false)
                    : await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct).ConfigureAwait(false);
                _known[group] = (start + turns * spacing.Ticks, response.Headers.ETag ?? default);
                if (tries == 0 && raced <= 0.5 && known.ETag != default) _raced[group] = Learn(raced, false);
                Interlocked.Increment(ref _claims);
                return new DateTimeOffset(start, TimeSpan.Zero);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 or 404)
            {
                // Another process claimed first (or created the row, or it was deleted): read it again.
                if (tries == 0) _raced[group] = Learn(_raced.GetValueOrDefault(group), true);
                (next, etag) = await ReadAsync(group, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How often, lately, the kept ETag was stale (0–1, a moving average).</summary>
    private static double Learn(double raced, bool stale) => raced * 0.75 + (stale ? 0.25 : 0);

    private async Task<(long Next, ETag ETag)> ReadAsync(string group, CancellationToken ct)
    {
        Count();
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, group, [NextTurnAt], ct).ConfigureAwait(false);
        var read = row.HasValue && row.Value is { } e ? (e.GetInt64(NextTurnAt) ?? 0, e.ETag) : (0L, default(ETag));
        _known[group] = read;
        return read;
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        await _create.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_created) return;
            Count();
            await _table.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
            _created = true;
        }
        finally
        {
            _create.Release();
        }
    }

    private void Count() => Interlocked.Increment(ref _transactions);
}
