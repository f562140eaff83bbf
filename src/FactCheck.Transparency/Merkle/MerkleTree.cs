using System.Numerics;
using System.Security.Cryptography;

namespace FactCheck.Transparency.Merkle;

/// <summary>
/// The RFC 9162 (§2.1) Merkle tree hash of an append-only log, computed from stored hashes as Go's
/// <c>golang.org/x/mod/sumdb/tlog</c> does: appending leaf n stores its leaf hash followed by the hashes of the
/// subtrees it completes, at dense indexes (Crosby and Wallach, "Efficient Data Structures for Tamper-Evident
/// Logging", §3.3). Stored hashes never change once written, so a table of them is append-only too.
/// Leaves are numbered from 0; a tree of size n holds leaves 0..n-1.
/// </summary>
public static class MerkleTree
{
    /// <summary>The hash of the empty tree: SHA-256 of nothing.</summary>
    public static Hash EmptyRoot { get; } = Hash.Sha256([]);

    /// <summary>SHA-256(0x00 ‖ <paramref name="data"/>).</summary>
    public static Hash LeafHash(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(data);
        Span<byte> digest = stackalloc byte[Hash.Size];
        sha.GetHashAndReset(digest);
        return new Hash(digest);
    }

    /// <summary>SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>).</summary>
    public static Hash NodeHash(Hash left, Hash right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Hash.Size];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Hash.Size)..]);
        return Hash.Sha256(input);
    }

    /// <summary>Where the hash of the <paramref name="n"/>th subtree of 2^<paramref name="level"/> leaves is stored
    /// (level 0: the leaves themselves).</summary>
    public static long StoredHashIndex(int level, long n)
    {
        // Level L's nth hash is written right after level L+1's (2n+1)th: go down to level 0 ...
        for (var l = level; l > 0; l--) n = 2 * n + 1;
        // ... whose nth hash is at n + n/2 + n/4 + ..., then add the levels back.
        long index = 0;
        for (; n > 0; n >>= 1) index += n;
        return index + level;
    }

    /// <summary>How many hashes a tree of <paramref name="size"/> leaves has stored.</summary>
    public static long StoredHashCount(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0) return 0;
        var count = StoredHashIndex(0, size - 1) + 1;
        for (var last = (ulong)(size - 1); (last & 1) != 0; last >>= 1) count++;
        return count;
    }

    /// <summary>
    /// The hashes to store, from <c>StoredHashIndex(0, <paramref name="index"/>)</c> on, when appending leaf
    /// <paramref name="index"/>: its leaf hash, then one hash per subtree it completes (1 + trailing ones of the
    /// index; under two on average). Reads one stored hash per completed subtree.
    /// </summary>
    public static async ValueTask<IReadOnlyList<Hash>> StoredHashesAsync(long index, Hash leafHash, IHashReader reader, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var completed = BitOperations.TrailingZeroCount((ulong)index + 1);
        var leftSiblings = new long[completed];
        for (var level = 0; level < completed; level++)
        {
            leftSiblings[completed - 1 - level] = StoredHashIndex(level, (index >> level) - 1);
        }
        var siblings = await ReadAsync(reader, leftSiblings, cancellationToken);
        var hashes = new List<Hash>(1 + completed) { leafHash };
        var subtree = leafHash;
        for (var level = 0; level < completed; level++)
        {
            subtree = NodeHash(siblings[completed - 1 - level], subtree);
            hashes.Add(subtree);
        }
        return hashes;
    }

    /// <summary>
    /// The hashes to store when appending <paramref name="leafHashes"/> as leaves <paramref name="size"/>,
    /// <paramref name="size"/> + 1, ...: what <see cref="StoredHashesAsync"/> gives for each, in order, to be stored at
    /// consecutive indexes from <c>StoredHashCount(<paramref name="size"/>)</c>. However many leaves, it reads once,
    /// and only the hashes of the complete subtrees that make up the tree of <paramref name="size"/> leaves (its
    /// frontier: one per bit set in the size); a leaf's other left siblings are among the hashes it computes itself.
    /// This is how a store appends a batch of events with one read and one insert.
    /// </summary>
    public static async ValueTask<IReadOnlyList<Hash>> AppendAsync(long size, IReadOnlyList<Hash> leafHashes, IHashReader reader, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var known = new HashDictionary();
        var frontier = FrontierIndexes(size);
        known.AddRange(frontier, await ReadAsync(reader, frontier, cancellationToken));
        var appended = new List<Hash>();
        for (var i = 0; i < leafHashes.Count; i++)
        {
            var hashes = await StoredHashesAsync(size + i, leafHashes[i], known, cancellationToken);
            var first = StoredHashIndex(0, size + i);
            known.AddRange(Enumerable.Range(0, hashes.Count).Select(j => first + j).ToList(), hashes);
            appended.AddRange(hashes);
        }
        return appended;
    }

    /// <summary>The size of the tree whose stored hashes number at most <paramref name="storedHashCount"/>: the largest
    /// n with <c>StoredHashCount(n) ≤ storedHashCount</c>. A store that appends each leaf's hashes in one transaction
    /// holds exactly StoredHashCount(n) of them, so this reads its size off its row count.</summary>
    public static long TreeSize(long storedHashCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(storedHashCount);
        // StoredHashCount(n) = 2n - popcount(n) lies between n and 2n, and grows with n.
        long lo = storedHashCount / 2, hi = storedHashCount;
        while (lo < hi)
        {
            var mid = hi - (hi - lo) / 2;
            if (StoredHashCount(mid) <= storedHashCount) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>The stored indexes of the complete subtrees that make up the tree of <paramref name="size"/> leaves,
    /// largest (leftmost) first: all that appending after it reads (<see cref="AppendAsync"/>).</summary>
    public static IReadOnlyList<long> FrontierIndexes(long size)
    {
        var indexes = new List<long>();
        for (var level = 62; level >= 0; level--)
        {
            if ((size >> level & 1) != 0) indexes.Add(StoredHashIndex(level, (size >> level) - 1));
        }
        return indexes;
    }

    /// <summary>The root hash of the tree of the first <paramref name="size"/> leaves (RFC 9162 MTH), from at most
    /// 1 + log2(size) stored hashes.</summary>
    public static async ValueTask<Hash> TreeHashAsync(long size, IHashReader reader, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size == 0 ? EmptyRoot : (await SubtreeHashesAsync([(0, size)], reader, cancellationToken))[0];
    }

    /// <summary>The hashes of the given leaf ranges [Lo, Hi) (disjoint, in any order), from one read of their covering
    /// subtrees: how proofs are made.</summary>
    internal static async ValueTask<IReadOnlyList<Hash>> SubtreeHashesAsync(IReadOnlyList<(long Lo, long Hi)> ranges, IHashReader reader, CancellationToken cancellationToken)
    {
        // Left to right is increasing stored index order, which is how readers want to be asked.
        var leftToRight = ranges.OrderBy(range => range.Lo).ToList();
        var hashes = new HashCursor(await ReadAsync(reader, StoredIndexesOf(leftToRight), cancellationToken));
        var byStart = leftToRight.ToDictionary(range => range.Lo, range => SubtreeHash(range.Lo, range.Hi, hashes));
        hashes.EnsureAllTaken();
        return ranges.Select(range => byStart[range.Lo]).ToList();
    }

    /// <summary>The stored indexes whose hashes give the hashes of the leaf ranges <paramref name="leftToRight"/>
    /// (disjoint, ordered by their start), in increasing order.</summary>
    internal static List<long> StoredIndexesOf(IEnumerable<(long Lo, long Hi)> leftToRight)
    {
        var need = new List<long>();
        foreach (var (lo, hi) in leftToRight) AddSubtreeIndexes(lo, hi, need);
        return need;
    }

    /// <summary>k, the largest power of two below <paramref name="n"/> (n ≥ 2): where RFC 9162 splits n leaves.</summary>
    internal static long Split(long n) => 1L << BitOperations.Log2((ulong)n - 1);

    /// <summary>Adds the stored indexes that <see cref="SubtreeHash"/> needs for leaves [lo, hi): the complete
    /// subtrees that cover the range, largest first.</summary>
    private static void AddSubtreeIndexes(long lo, long hi, List<long> need)
    {
        while (lo < hi)
        {
            var level = BitOperations.Log2((ulong)(hi - lo));
            need.Add(StoredHashIndex(level, lo >> level));
            lo += 1L << level;
        }
    }

    /// <summary>The hash of leaves [lo, hi) from the hashes <see cref="AddSubtreeIndexes"/> asked for.</summary>
    private static Hash SubtreeHash(long lo, long hi, HashCursor hashes)
    {
        var covering = new List<Hash>();
        while (lo < hi)
        {
            covering.Add(hashes.Take());
            lo += 1L << BitOperations.Log2((ulong)(hi - lo));
        }
        // The covering subtrees shrink to the right; RFC 9162 hashes the fringe first.
        var hash = covering[^1];
        for (var i = covering.Count - 2; i >= 0; i--) hash = NodeHash(covering[i], hash);
        return hash;
    }

    internal static async ValueTask<IReadOnlyList<Hash>> ReadAsync(IHashReader reader, IReadOnlyList<long> indexes, CancellationToken cancellationToken)
    {
        if (indexes.Count == 0) return [];
        var hashes = await reader.ReadHashesAsync(indexes, cancellationToken);
        if (hashes.Count != indexes.Count)
        {
            throw new InvalidOperationException($"asked the hash reader for {indexes.Count} stored hashes and got {hashes.Count}");
        }
        return hashes;
    }

    /// <summary>Stored hashes held in memory, read as if from the store; a hash it does not hold is an error.</summary>
    internal sealed class HashDictionary : IHashReader
    {
        private readonly Dictionary<long, Hash> hashes = [];

        public void AddRange(IReadOnlyList<long> indexes, IReadOnlyList<Hash> values)
        {
            for (var i = 0; i < indexes.Count; i++) hashes[indexes[i]] = values[i];
        }

        public ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Hash>>(indexes.Select(index => hashes.TryGetValue(index, out var hash)
                ? hash
                : throw new InvalidOperationException($"stored hash {index} was not read")).ToList());
    }

    /// <summary>Hands out hashes read for a computation in the order they were asked for.</summary>
    private sealed class HashCursor(IReadOnlyList<Hash> hashes)
    {
        private int next;

        public Hash Take() => hashes[next++];

        /// <summary>Every hash asked for was used: index and hash computations walked the same tree.</summary>
        public void EnsureAllTaken()
        {
            if (next != hashes.Count) throw new InvalidOperationException($"read {hashes.Count} stored hashes but used {next}");
        }
    }
}
