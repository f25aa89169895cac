using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using FunctionsCrawler.NetEase;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsCrawler.Storage;

/// <summary>
/// The shared schedule in Table storage: one row per politeness group (PartitionKey <c>pacer</c>, RowKey the group)
/// holding <c>NextTurnAt</c>, the schedule's next free slot in UTC ticks. A claim moves it on with an
/// ETag-conditional write; a process that lost the race (HTTP 412) reads the row again and retries. The row's
/// last ETag is kept, so a claim nobody raced costs one transaction (one process alone on the schedule); when
/// others claim too it reads first (two), and each lost race costs two more.
/// <para>
/// A <c>NextTurnAt</c> past the claim's <c>notAfter</c> (a process whose clock ran ahead wrote it, or the row is corrupt,
/// up to <see cref="long.MaxValue"/>) would hold every process back, or overflow: the claim starts at <c>notBefore</c>
/// instead and writes over it, with the same ETag check as any claim, and says so in one warning line (at most one a
/// minute per group).
/// </para>
/// <para>
/// The row also carries <c>PausedUntil</c> (UTC ticks): a process that meets a block writes it (ETag-checked, never
/// shortening a later pause), and each process reads it before each departure (one transaction a request), so a block
/// one process sees stops the others before their next request (the pacer ignores a pause further ahead than any block
/// could ask). Claims merge <c>NextTurnAt</c> and leave the pause as it is.
/// </para>
/// </summary>
public sealed class TableTurnSchedule : ITurnSchedule, IDisposable
{
    public const string Name = "Pacer";
    public const string Partition = "pacer";
    private const string NextTurnAt = "NextTurnAt";
    private const string PausedUntil = "PausedUntil";

    private readonly TableClient _table;
    private readonly ConcurrentDictionary<string, (long Next, ETag ETag)> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _raced = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, int Since)> _warned = new(StringComparer.Ordinal);
    private readonly ILogger _log;
    private readonly SemaphoreSlim _create = new(1, 1);
    private volatile bool _created;

    public void Dispose() => _create.Dispose();
    private long _transactions;

    public TableTurnSchedule(StorageClients storage, ILogger<TableTurnSchedule>? log = null) : this(storage.Tables.GetTableClient(Name), log) { }

    public TableTurnSchedule(TableClient table, ILogger<TableTurnSchedule>? log = null)
    {
        _table = table;
        _log = log ?? NullLogger<TableTurnSchedule>.Instance;
    }

    /// <summary>Rows this process found past their horizon and wrote over.</summary>
    public long Replaced => Interlocked.Read(ref _replaced);
    private long _replaced;

    /// <summary>Storage transactions this process has spent on the schedule (creating the table included).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Claims this process has made.</summary>
    public long Claims => Interlocked.Read(ref _claims);
    private long _claims;

    public async Task<DateTimeOffset> ClaimAsync(string group, int turns, TimeSpan spacing, DateTimeOffset notBefore, DateTimeOffset notAfter, CancellationToken ct)
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
            var untrusted = next > notAfter.UtcTicks;
            var start = untrusted ? notBefore.UtcTicks : Math.Max(next, notBefore.UtcTicks);
            var entity = new TableEntity(Partition, group) { [NextTurnAt] = start + turns * spacing.Ticks };
            try
            {
                Count();
                var response = etag == default
                    ? await _table.AddEntityAsync(entity, ct).ConfigureAwait(false)
                    : await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Merge, ct).ConfigureAwait(false);
                _known[group] = (start + turns * spacing.Ticks, response.Headers.ETag ?? default);
                if (tries == 0 && raced <= 0.5 && known.ETag != default) _raced[group] = Learn(raced, false);
                Interlocked.Increment(ref _claims);
                if (untrusted) Replace(group, next, notBefore);
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

    private void Replace(string group, long next, DateTimeOffset now)
    {
        Interlocked.Increment(ref _replaced);
        var (at, since) = _warned.GetValueOrDefault(group);
        if (now - at < TimeSpan.FromMinutes(1))
        {
            _warned[group] = (at, since + 1);
            return;
        }
        _warned[group] = (now, 0);
        var ahead = next >= DateTimeOffset.MaxValue.UtcTicks || next - now.UtcTicks > TimeSpan.FromDays(365).Ticks
            ? "more than a year" : $"{TimeSpan.FromTicks(next - now.UtcTicks).TotalSeconds:0.0} s";
        _log.LogWarning("Pacer: the shared schedule of {Group} had its next turn {Ahead} ahead, past any queue of processes (a clock running ahead, or a corrupt row): replaced with now{Since}",
            group, ahead, since > 0 ? $" ({since} more times in the last minute)" : "");
    }

    public async Task<DateTimeOffset?> ReadPauseAsync(string group, CancellationToken ct)
    {
        if (!_created) await CreateAsync(ct).ConfigureAwait(false);
        Count();
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, group, [PausedUntil], ct).ConfigureAwait(false);
        return row.HasValue && row.Value is { } e ? Pause(e) : null;
    }

    public async Task AnnouncePauseAsync(string group, DateTimeOffset until, CancellationToken ct)
    {
        if (!_created) await CreateAsync(ct).ConfigureAwait(false);
        var entity = new TableEntity(Partition, group) { [PausedUntil] = until.UtcTicks };
        for (var tries = 0; ; tries++)
        {
            Count();
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, group, [PausedUntil], ct).ConfigureAwait(false);
            // A later pause stands, unless it is further ahead than any block could ask (then it is written over).
            if (row.HasValue && row.Value is { } e && Pause(e) is { } known && known >= until && known <= until + SitePushback.MaxPause) return;
            try
            {
                Count();
                if (row.HasValue && row.Value is { } current)
                    await _table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Merge, ct).ConfigureAwait(false);
                else await _table.AddEntityAsync(entity, ct).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException failed) when (failed.Status is 412 or 409 or 404 && tries < 5)
            {
                // A claim or another announcement came first: read again.
            }
        }
    }

    /// <summary>The row's pause as written; a value of another type or out of range is no pause.</summary>
    private static DateTimeOffset? Pause(TableEntity e) =>
        e.TryGetValue(PausedUntil, out var value) && value is long ticks && ticks > 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>How often, lately, the kept ETag was stale (0–1, a moving average).</summary>
    private static double Learn(double raced, bool stale) => raced * 0.75 + (stale ? 0.25 : 0);

    private async Task<(long Next, ETag ETag)> ReadAsync(string group, CancellationToken ct)
    {
        Count();
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, group, [NextTurnAt], ct).ConfigureAwait(false);
        // A value of another type is a corrupt row: read as past any horizon, so the claim writes over it.
        var read = row.HasValue && row.Value is { } e
            ? (e.TryGetValue(NextTurnAt, out var value) && value is not null ? value as long? ?? long.MaxValue : 0L, e.ETag)
            : (0L, default(ETag));
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
