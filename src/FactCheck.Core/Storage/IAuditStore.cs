using FactCheck.Transparency.Merkle;

namespace FactCheck.Core.Storage;

/// <summary>
/// The append-only audit log and its Merkle tree. It has no append method of its own: every method of the other ports
/// that changes something takes an <see cref="AuditContext"/> and appends, in the same transaction as the change, one
/// <see cref="AuditEvent"/> per changed resource (before/after from <see cref="AuditSnapshots"/>, sealed with
/// <see cref="AuditChain.Seal"/> after the last stored event, at the store's current time truncated to
/// microseconds), and adds each event's leaf (<see cref="AuditLeaves.ToLeaf"/>) to the tree's stored hashes
/// (<see cref="MerkleTree.AppendAsync"/>), so the tree always holds every event. Appends are serialized so the chain
/// and the tree have no forks or gaps. An idempotent replay (a request id seen before) changes nothing and appends
/// nothing. Reading stored hashes (<see cref="IHashReader"/>) needs no snapshot: the hashes of a tree of n events
/// never change once event n is committed.
/// </summary>
public interface IAuditStore : IHashReader
{
    /// <summary>Audit events matching <paramref name="filter"/> in log order, with Sequence greater than
    /// <paramref name="afterSequence"/>.</summary>
    Task<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditFilter filter, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The events of one resource, newest first, with Sequence below <paramref name="beforeSequence"/> (0: from
    /// the newest) and, when <paramref name="atOrBefore"/> is given, recorded at or before it.</summary>
    Task<IReadOnlyList<AuditEvent>> ListResourceHistoryAsync(string resourceName, DateTimeOffset? atOrBefore, long beforeSequence, int limit,
        CancellationToken cancellationToken);

    /// <summary>Every audit event in log order, streamed (for chain verification of a large log) from one consistent
    /// snapshot, never all held in memory. Returns what is stored, without checking it.</summary>
    IAsyncEnumerable<AuditEvent> ReadAuditLogAsync(CancellationToken cancellationToken);

    /// <summary>The last event's sequence and how many stored hashes the tree holds, read together.</summary>
    Task<AuditLogSize> GetLogSizeAsync(CancellationToken cancellationToken);

    /// <summary>The stored hashes with indexes in [<paramref name="from"/>, <paramref name="to"/>), in index order,
    /// as they are (any missing is left out): what a full check compares with hashes it recomputed.</summary>
    Task<IReadOnlyList<(long Index, Hash Hash)>> ReadStoredHashRangeAsync(long from, long to, CancellationToken cancellationToken);
}

/// <param name="LastSequence">The newest event's sequence: the number of events, in a log without gaps.</param>
/// <param name="StoredHashes">One more than the highest stored hash index: <see cref="MerkleTree.StoredHashCount"/> of
/// the tree's size, in a tree without gaps.</param>
public sealed record AuditLogSize(long LastSequence, long StoredHashes)
{
    /// <summary>How many events the tree holds: the size its checkpoints sign.</summary>
    public long TreeSize => MerkleTree.TreeSize(StoredHashes);
}
