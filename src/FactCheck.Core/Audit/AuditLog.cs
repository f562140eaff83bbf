using System.Runtime.CompilerServices;
using FactCheck.Core.Errors;
using FactCheck.Core.Paging;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;

namespace FactCheck.Core.Audit;

/// <summary>What auditors do with the log: list, follow, and verify the hash chain.</summary>
public sealed class AuditLog(IAuditStore store, PageTokens pageTokens)
{
    /// <summary>How often a watcher looks for new events. Polling the store (not an in-process signal) means a
    /// watcher sees events written through every instance.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);
    private const int WatchBatch = 500;

    public async Task<(IReadOnlyList<AuditEvent> Events, string NextPageToken)> ListAsync(AuditFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        Validate(filter);
        var limit = PageSize.Resolve(pageSize);
        var query = string.Join('\n', "audit", filter.ResourceName, filter.Principal, filter.Action, filter.From?.UtcTicks, filter.To?.UtcTicks);
        var after = await pageTokens.DecodeSequenceAsync(pageToken, query, cancellationToken);
        var events = await store.ListAuditEventsAsync(filter, after, limit + 1, cancellationToken);
        var next = events.Count > limit ? await pageTokens.EncodeSequenceAsync(query, events[limit - 1].Sequence, cancellationToken) : "";
        return (events.Take(limit).ToList(), next);
    }

    /// <summary>Events after <paramref name="afterSequence"/> as they are appended, until cancelled.</summary>
    public async IAsyncEnumerable<AuditEvent> WatchAsync(AuditFilter filter, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Validate(filter);
        if (afterSequence < 0) throw new InvalidArgumentException("after_sequence", "must not be negative");
        while (!cancellationToken.IsCancellationRequested)
        {
            var events = await store.ListAuditEventsAsync(filter, afterSequence, WatchBatch, cancellationToken);
            foreach (var e in events)
            {
                yield return e;
                afterSequence = e.Sequence;
            }
            if (events.Count < WatchBatch)
            {
                try
                {
                    await Task.Delay(WatchInterval, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
    }

    public async Task<(AuditBreak? Break, long Checked)> VerifyAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        async IAsyncEnumerable<AuditEvent> Counted([EnumeratorCancellation] CancellationToken ct = default)
        {
            await foreach (var e in store.ReadAuditLogAsync(ct))
            {
                count++;
                yield return e;
            }
        }
        var broken = await AuditChain.VerifyAsync(Counted(cancellationToken), cancellationToken);
        return (broken, count);
    }

    private static void Validate(AuditFilter filter)
    {
        if (filter.From >= filter.To) throw new InvalidArgumentException("end_time", "must be after start_time");
        var v = new ViolationCollector();
        v.MaxLength("resource", filter.ResourceName, Limits.QueryLength);
        v.MaxLength("principal", filter.Principal, Limits.NameLength);
        v.MaxLength("action", filter.Action, Limits.NameLength);
        v.ThrowIfAny();
    }
}
