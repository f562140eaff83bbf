using FactCheck.Transparency.Merkle;

namespace FactCheck.Storage.Relational.Audit;

/// <summary>
/// The audit log's Merkle tree in audit_tree (idx, hash): the stored hashes of <see cref="MerkleTree"/>, added by the
/// transaction that appends the events they commit to (<see cref="AuditAppender"/>), so the tree holds every event.
/// Appends are serialized and idx is the primary key, so two writers can never both commit a tree of the same size:
/// the log stays one linear history whatever the number of server instances. Both databases run the same statements.
/// </summary>
public static class AuditTree
{
    /// <summary>Events whose leaves <see cref="CatchUpAsync"/> adds per transaction.</summary>
    private const int CatchUpBatch = 2000;

    /// <summary>The newest event and the tree's stored-hash count, in one statement.</summary>
    private const string HeadQuery =
        """
        SELECT (SELECT max(seq) FROM audit_events), (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1),
               (SELECT max(idx) FROM audit_tree)
        """;

    /// <summary>Consecutive stored hashes from @first, sent as one value of @count 32-byte hashes that the database cuts
    /// up: one statement however many events (one round trip on PostgreSQL), the same SQL in both databases.</summary>
    private const string InsertHashes =
        """
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @count)
        INSERT INTO audit_tree (idx, hash) SELECT @first + i, substr(@hashes, i * 32 + 1, 32) FROM n
        """;

    /// <summary>The end of the log: its newest event (sequence 0 and <see cref="AuditChain.Genesis"/> when empty) and
    /// the tree's size, in the session's transaction.</summary>
    public static async Task<(long LastSequence, byte[] LastHash, AuditLogSize Size)> ReadHeadAsync(DbSession session, CancellationToken cancellationToken)
    {
        var head = (await session.QueryAsync(HeadQuery, row => (
            LastSequence: row.IsNull(0) ? 0 : row.Int64(0),
            LastHash: row.IsNull(1) ? AuditChain.Genesis : row.Bytes(1),
            StoredHashes: row.IsNull(2) ? 0 : row.Int64(2) + 1), cancellationToken))[0];
        return (head.LastSequence, head.LastHash, new AuditLogSize(head.LastSequence, head.StoredHashes));
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> the insert of the stored hashes of <paramref name="leaves"/>, the leaves of the
    /// events being appended after event <paramref name="size"/>.LastSequence, in the caller's write transaction,
    /// which holds the audit log (<see cref="WriteScope.AuditLog"/>). Reads the tree's frontier once. Events the tree
    /// lacks (stored before it existed, by a server that did not keep it) get their leaves first.
    /// </summary>
    public static async Task AddLeavesAsync(DbSession session, StatementBatch batch, AuditLogSize size, IReadOnlyList<Hash> leaves,
        CancellationToken cancellationToken)
    {
        var treeSize = size.TreeSize;
        if (MerkleTree.StoredHashCount(treeSize) != size.StoredHashes || treeSize > size.LastSequence)
        {
            throw new InvalidOperationException(
                $"the audit log's Merkle tree ({size.StoredHashes} stored hashes) does not fit its {size.LastSequence} events: " +
                "audit_events or audit_tree was changed outside the server; nothing more can be appended until that is investigated");
        }
        var backlog = treeSize < size.LastSequence ? await LeavesAsync(session, treeSize, size.LastSequence, cancellationToken) : [];
        AddHashes(batch, treeSize, await MerkleTree.AppendAsync(treeSize, [.. backlog, .. leaves], new StoredHashes(session), cancellationToken));
    }

    /// <summary>
    /// Adds the leaves of the events the tree lacks (those stored before the tree existed), in order, a batch of events
    /// per write transaction under the audit log's lock, so that it resumes where it stopped and is a no-op once the
    /// tree holds every event. Returns how many events it added.
    /// </summary>
    public static async Task<long> CatchUpAsync(RelationalDatabase database, CancellationToken cancellationToken)
    {
        long added = 0;
        while (true)
        {
            var count = await database.WriteAsync(async session =>
            {
                await session.Dialect.SerializeAsync(session, WriteScope.AuditLog, null, cancellationToken);
                var (_, _, size) = await ReadHeadAsync(session, cancellationToken);
                var treeSize = size.TreeSize;
                // A tree larger than the log is not ours to repair: VerifyAuditLog and clients report it.
                if (treeSize >= size.LastSequence) return 0;
                var upTo = Math.Min(size.LastSequence, treeSize + CatchUpBatch);
                var leaves = await LeavesAsync(session, treeSize, upTo, cancellationToken);
                var batch = session.Batch();
                AddHashes(batch, treeSize, await MerkleTree.AppendAsync(treeSize, leaves, new StoredHashes(session), cancellationToken));
                await batch.ExecuteAsync(cancellationToken);
                return leaves.Count;
            }, cancellationToken);
            if (count == 0) return added;
            added += count;
        }
    }

    /// <summary>The leaf hashes of events <paramref name="after"/> + 1 to <paramref name="upTo"/>, which must all be there.</summary>
    private static async Task<List<Hash>> LeavesAsync(DbSession session, long after, long upTo, CancellationToken cancellationToken)
    {
        var events = await session.QueryAsync($"SELECT {AuditEventRows.Columns} FROM audit_events WHERE seq > @after AND seq <= @up_to ORDER BY seq",
            AuditEventRows.Read, cancellationToken, ("@after", after), ("@up_to", upTo));
        var leaves = new List<Hash>(events.Count);
        foreach (var e in events)
        {
            if (e.Sequence != after + leaves.Count + 1)
            {
                throw new InvalidOperationException($"audit event #{after + leaves.Count + 1} is missing, so the audit log's Merkle tree cannot be built past it");
            }
            leaves.Add(e.ToLeaf().LeafHash());
        }
        if (leaves.Count != upTo - after) throw new InvalidOperationException($"audit event #{after + leaves.Count + 1} is missing, so the audit log's Merkle tree cannot be built past it");
        return leaves;
    }

    private static void AddHashes(StatementBatch batch, long treeSize, IReadOnlyList<Hash> hashes)
    {
        if (hashes.Count == 0) return;
        var concatenated = new byte[hashes.Count * Hash.Size];
        for (var i = 0; i < hashes.Count; i++) hashes[i].CopyTo(concatenated.AsSpan(i * Hash.Size));
        batch.Add(InsertHashes, ("@first", MerkleTree.StoredHashCount(treeSize)), ("@count", hashes.Count), ("@hashes", concatenated));
    }

    /// <summary>The tree's stored hashes, read in the session's transaction by primary key.</summary>
    public sealed class StoredHashes(DbSession session) : IHashReader
    {
        public async ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken)
        {
            var rows = await session.QueryAsync($"SELECT idx, hash FROM audit_tree WHERE {session.Dialect.IsIn("idx", "@idx")}",
                row => (Index: row.Int64(0), Hash: row.Bytes(1)), cancellationToken, ("@idx", indexes.ToArray()));
            var byIndex = rows.ToDictionary(row => row.Index, row => row.Hash);
            return indexes.Select(index => byIndex.TryGetValue(index, out var hash) && hash.Length == Hash.Size
                ? new Hash(hash)
                : throw new InvalidOperationException($"the audit log's Merkle tree has no stored hash {index}: audit_tree was changed outside the server")).ToList();
        }
    }
}
