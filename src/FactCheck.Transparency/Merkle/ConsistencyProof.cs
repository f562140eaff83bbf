namespace FactCheck.Transparency.Merkle;

/// <summary>
/// RFC 9162 §2.1.4 consistency proofs (Go tlog's tree proofs): the hashes that show a tree of a given size and root
/// holds, as its first leaves, the whole of an earlier tree of a given size and root — nothing removed or changed.
/// </summary>
public static class ConsistencyProof
{
    /// <summary>The proof that the tree of <paramref name="newSize"/> leaves extends the one of
    /// <paramref name="oldSize"/> (1 ≤ old ≤ new; empty when they are equal), from one read of O(log n) hashes.</summary>
    public static async ValueTask<IReadOnlyList<Hash>> CreateAsync(long oldSize, long newSize, IHashReader reader, CancellationToken cancellationToken)
    {
        if (oldSize < 1 || oldSize > newSize)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), oldSize, $"a consistency proof goes from a size between 1 and the newer size {newSize}");
        }
        var subtrees = new List<(long, long)>();
        AddSubtrees(0, newSize, oldSize, subtrees);
        return await MerkleTree.SubtreeHashesAsync(subtrees, reader, cancellationToken);
    }

    /// <summary>Whether <paramref name="proof"/> shows that the tree of <paramref name="newSize"/> leaves with root
    /// <paramref name="newRoot"/> extends the tree of <paramref name="oldSize"/> leaves with root
    /// <paramref name="oldRoot"/>. Equal sizes need an empty proof and equal roots. False when the old size is 0 (a
    /// proof from the empty tree proves nothing: callers accept it without one) or above the new size.</summary>
    public static bool Verify(long oldSize, Hash oldRoot, long newSize, Hash newRoot, IReadOnlyList<Hash> proof) =>
        oldSize >= 1 && oldSize <= newSize
        && Run(proof, proof.Count, 0, newSize, oldSize, oldRoot) is { } roots
        && roots.Old == oldRoot && roots.New == newRoot;

    // Both walks split leaves [lo, hi) as RFC 9162 does, following the old tree's right edge (oldSize).

    /// <summary>Adds, bottom-up, the leaf ranges whose hashes RFC 9162's SUBPROOF gives.</summary>
    private static void AddSubtrees(long lo, long hi, long oldSize, List<(long, long)> subtrees)
    {
        if (oldSize == hi)
        {
            // The whole old tree needs no hash: the verifier has its root.
            if (lo != 0) subtrees.Add((lo, hi));
            return;
        }
        var k = MerkleTree.Split(hi - lo);
        var left = oldSize <= lo + k;
        if (left) AddSubtrees(lo, lo + k, oldSize, subtrees);
        else AddSubtrees(lo + k, hi, oldSize, subtrees);
        subtrees.Add(left ? (lo + k, hi) : (lo, lo + k));
    }

    /// <summary>The hashes of leaves [lo, hi) in the old tree and in the new one implied by the first
    /// <paramref name="count"/> proof hashes, or null when their number does not fit the trees.</summary>
    private static (Hash Old, Hash New)? Run(IReadOnlyList<Hash> proof, int count, long lo, long hi, long oldSize, Hash oldRoot)
    {
        if (oldSize == hi)
        {
            if (lo == 0) return count == 0 ? (oldRoot, oldRoot) : null;
            return count == 1 ? (proof[0], proof[0]) : null;
        }
        if (count == 0) return null;
        var k = MerkleTree.Split(hi - lo);
        var sibling = proof[count - 1];
        if (oldSize <= lo + k)
        {
            return Run(proof, count - 1, lo, lo + k, oldSize, oldRoot) is { } left
                ? (left.Old, MerkleTree.NodeHash(left.New, sibling))
                : null;
        }
        return Run(proof, count - 1, lo + k, hi, oldSize, oldRoot) is { } right
            ? (MerkleTree.NodeHash(sibling, right.Old), MerkleTree.NodeHash(sibling, right.New))
            : null;
    }
}
