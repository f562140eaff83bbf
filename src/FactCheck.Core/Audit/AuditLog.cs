using System.Runtime.CompilerServices;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Verification;

namespace FactCheck.Core.Audit;

/// <summary>What auditors do with the log: list (with proofs of inclusion on request), follow, and verify the hash chain
/// and the Merkle tree.</summary>
public sealed class AuditLog(IAuditStore store, PageTokens pageTokens, AuditCheckpoints checkpoints)
{
    /// <summary>How often a watcher looks for new events. Polling the store (not an in-process signal) means a
    /// watcher sees events written through every instance.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);
    private const int WatchBatch = 500;

    /// <summary>
    /// A page of events in log order. With <paramref name="withProofs"/>, the page comes with the latest checkpoint and
    /// each event's inclusion proof against it, and stops at the checkpoint's size, so that every event listed is in it
    /// (later events come on the next page, against a later checkpoint).
    /// </summary>
    public async Task<AuditPage> ListAsync(AuditFilter filter, int pageSize, string? pageToken, bool withProofs, CancellationToken cancellationToken)
    {
        Validate(filter);
        var limit = PageSize.Resolve(pageSize);
        var query = string.Join('\n', "audit", filter.ResourceName, filter.Principal, filter.Action, filter.From?.UtcTicks, filter.To?.UtcTicks);
        var after = await pageTokens.DecodeSequenceAsync(pageToken, query, cancellationToken);
        var checkpoint = withProofs ? await checkpoints.GetLatestAsync(cancellationToken) : null;
        var bounded = checkpoint is null ? filter : filter with { ThroughSequence = checkpoint.Checkpoint.Size };
        var events = await store.ListAuditEventsAsync(bounded, after, limit + 1, cancellationToken);
        var next = events.Count > limit ? await pageTokens.EncodeSequenceAsync(query, events[limit - 1].Sequence, cancellationToken) : "";
        var page = events.Take(limit).ToList();
        var proofs = checkpoint is null ? [] : await checkpoints.InclusionProofsAsync(page, checkpoint, cancellationToken);
        return new AuditPage(page, next, checkpoint, proofs);
    }

    /// <summary>Events after <paramref name="afterSequence"/> as they are appended, until cancelled: then the watch
    /// ends, whether the cancellation finds it waiting or reading the store.</summary>
    public async IAsyncEnumerable<AuditEvent> WatchAsync(AuditFilter filter, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Validate(filter);
        if (afterSequence < 0) throw new InvalidArgumentException("after_sequence", "must not be negative");
        var wait = false;
        while (await PollAsync(filter, afterSequence, wait, cancellationToken) is { } events)
        {
            foreach (var e in events)
            {
                yield return e;
                afterSequence = e.Sequence;
            }
            wait = events.Count < WatchBatch;
        }
    }

    /// <summary>The next batch of a watch, after a poll interval when the last one was not full; null once cancelled.
    /// A cancellation during the read ends the watch as one during the wait does: a shutdown caught mid-read once
    /// ended a watch with UNKNOWN instead of UNAVAILABLE.</summary>
    private async Task<IReadOnlyList<AuditEvent>?> PollAsync(AuditFilter filter, long afterSequence, bool wait, CancellationToken cancellationToken)
    {
        try
        {
            if (wait) await Task.Delay(WatchInterval, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return await store.ListAuditEventsAsync(filter, afterSequence, WatchBatch, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// The server's own full check: walks every event, checking the hash chain (<see cref="AuditChain"/>) and that the
    /// Merkle tree holds each event's leaf and the subtree hashes that follow from them (<see cref="AuditTreeCheck"/>),
    /// then that the tree holds as many events as the log. Returns the first problem, or null.
    /// </summary>
    public async Task<(AuditBreak? Break, long Checked)> VerifyAsync(CancellationToken cancellationToken)
    {
        long count = 0;
        var previousHash = AuditChain.Genesis;
        var tree = new AuditTreeCheck(store);
        await foreach (var e in store.ReadAuditLogAsync(cancellationToken))
        {
            count++;
            if (AuditChain.Check(e, count, previousHash) is { } broken)
            {
                // The tree's check runs a chunk behind: an earlier event may be broken there.
                return (await tree.FlushAsync(cancellationToken) ?? broken, count);
            }
            if (await tree.AddAsync(e, cancellationToken) is { } treeBreak) return (treeBreak, count);
            previousHash = e.Hash;
        }
        return (await tree.FinishAsync(cancellationToken), count);
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

/// <summary>A page of audit events; with proofs, the checkpoint they are in and one inclusion proof per event, in order.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, string NextPageToken, SignedCheckpoint? Checkpoint,
    IReadOnlyList<IReadOnlyList<Hash>> InclusionProofs);
