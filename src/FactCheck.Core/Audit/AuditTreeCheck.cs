using System.Numerics;
using FactCheck.Transparency.Merkle;

namespace FactCheck.Core.Audit;

/// <summary>
/// Checks the audit log's stored Merkle tree against its events, as they stream past in log order: recomputes the
/// stored hashes from the events' leaves a chunk at a time (keeping only the tree's frontier between chunks) and
/// compares them with the store's. Catches an event edited after it was appended even when its hash chain was
/// recomputed too (its leaf no longer matches), and a tree edited, cut short or longer than the log.
/// </summary>
internal sealed class AuditTreeCheck(IAuditStore store)
{
    private const int Chunk = 1000;

    private readonly List<AuditEvent> pending = [];
    private Frontier frontier = new([]);
    private long size;

    /// <returns>The first problem found so far, or null.</returns>
    public async Task<AuditBreak?> AddAsync(AuditEvent e, CancellationToken cancellationToken)
    {
        pending.Add(e);
        return pending.Count >= Chunk ? await FlushAsync(cancellationToken) : null;
    }

    /// <summary>Checks the events added since the last check.</summary>
    public async Task<AuditBreak?> FlushAsync(CancellationToken cancellationToken)
    {
        if (pending.Count == 0) return null;
        var recomputed = await MerkleTree.AppendAsync(size, pending.Select(e => e.ToLeaf().LeafHash()).ToList(), frontier, cancellationToken);
        var first = MerkleTree.StoredHashCount(size);
        var stored = (await store.ReadStoredHashRangeAsync(first, first + recomputed.Count, cancellationToken)).ToDictionary(row => row.Index, row => row.Hash);
        var at = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var e = pending[i];
            // Leaf k stores its leaf hash, then one hash per subtree it completes.
            var count = 1 + BitOperations.TrailingZeroCount((ulong)(size + i + 1));
            for (var j = 0; j < count; j++, at++)
            {
                var index = first + at;
                if (!stored.TryGetValue(index, out var hash))
                    return new AuditBreak(e, $"the Merkle tree lacks its stored hash {index}: audit_tree was changed outside the server");
                if (hash != recomputed[at])
                {
                    return new AuditBreak(e, j == 0
                        ? "its leaf in the Merkle tree is not this event's: the event was changed after it was appended (its hash chain recomputed to hide it)"
                        : $"the Merkle tree's stored hash {index}, a subtree this event completes, is not what the events give: audit_tree was changed outside the server");
                }
            }
        }
        size += pending.Count;
        frontier = frontier.After(size, first, recomputed);
        pending.Clear();
        return null;
    }

    /// <summary>Checks what is left, then that the tree holds as many events as the log (both read at one moment, so
    /// events appended during the check do not count as a difference).</summary>
    public async Task<AuditBreak?> FinishAsync(CancellationToken cancellationToken)
    {
        if (await FlushAsync(cancellationToken) is { } broken) return broken;
        var log = await store.GetLogSizeAsync(cancellationToken);
        var needed = MerkleTree.StoredHashCount(log.LastSequence);
        if (log.StoredHashes == needed) return null;
        return new AuditBreak(null, log.StoredHashes > needed
            ? $"the Merkle tree holds {log.TreeSize} events but the log only {log.LastSequence}: events were deleted from the log's end"
            : $"the Merkle tree holds {log.TreeSize} of the log's {log.LastSequence} events: its last stored hashes were deleted");
    }

    /// <summary>The hashes of the complete subtrees of the tree checked so far: all the next chunk's appends read.</summary>
    private sealed class Frontier(Dictionary<long, Hash> hashes) : IHashReader
    {
        public ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Hash>>(indexes.Select(index => hashes[index]).ToList());

        /// <summary>The frontier of the tree of <paramref name="newSize"/> leaves, whose stored hashes from
        /// <paramref name="first"/> on are <paramref name="appended"/>.</summary>
        public Frontier After(long newSize, long first, IReadOnlyList<Hash> appended) =>
            new(MerkleTree.FrontierIndexes(newSize).ToDictionary(index => index, index => index >= first ? appended[(int)(index - first)] : hashes[index]));
    }
}
