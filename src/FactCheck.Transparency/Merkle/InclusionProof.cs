namespace FactCheck.Transparency.Merkle;

/// <summary>
/// RFC 9162 §2.1.3 inclusion proofs (Go tlog's record proofs): the sibling hashes on the path from a leaf to the root,
/// bottom-up, that show a tree of a given size and root contains that leaf at that index.
/// </summary>
public static class InclusionProof
{
    /// <summary>The proof that the tree of <paramref name="treeSize"/> leaves contains leaf <paramref name="index"/>,
    /// from one read of at most ~2·log2(treeSize) stored hashes.</summary>
    public static async ValueTask<IReadOnlyList<Hash>> CreateAsync(long index, long treeSize, IHashReader reader, CancellationToken cancellationToken)
    {
        if (index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"a tree of {treeSize} leaves has leaves 0 to {treeSize - 1}");
        }
        var need = new List<long>();
        AddIndexes(0, treeSize, index, need);
        var hashes = new HashCursor(await MerkleTree.ReadAsync(reader, need, cancellationToken));
        var proof = new List<Hash>();
        Build(0, treeSize, index, hashes, proof);
        hashes.EnsureAllTaken();
        return proof;
    }

    /// <summary>Whether <paramref name="proof"/> shows that the tree of <paramref name="treeSize"/> leaves with root
    /// <paramref name="root"/> has <paramref name="leafHash"/> at <paramref name="index"/>. False for any index outside
    /// the tree and for a proof with a hash too many or too few.</summary>
    public static bool Verify(long index, Hash leafHash, long treeSize, Hash root, IReadOnlyList<Hash> proof) =>
        index >= 0 && index < treeSize && Run(proof, proof.Count, 0, treeSize, index, leafHash) == root;

    // The three walks below split leaves [lo, hi) as RFC 9162 does: the left k (a power of two) and the rest.

    private static void AddIndexes(long lo, long hi, long index, List<long> need)
    {
        if (lo + 1 == hi) return;
        var k = MerkleTree.Split(hi - lo);
        if (index < lo + k)
        {
            AddIndexes(lo, lo + k, index, need);
            MerkleTree.AddSubtreeIndexes(lo + k, hi, need);
        }
        else
        {
            MerkleTree.AddSubtreeIndexes(lo, lo + k, need);
            AddIndexes(lo + k, hi, index, need);
        }
    }

    private static void Build(long lo, long hi, long index, HashCursor hashes, List<Hash> proof)
    {
        if (lo + 1 == hi) return; // the verifier has the leaf hash
        var k = MerkleTree.Split(hi - lo);
        if (index < lo + k)
        {
            Build(lo, lo + k, index, hashes, proof);
            proof.Add(MerkleTree.SubtreeHash(lo + k, hi, hashes));
        }
        else
        {
            var left = MerkleTree.SubtreeHash(lo, lo + k, hashes);
            Build(lo + k, hi, index, hashes, proof);
            proof.Add(left);
        }
    }

    /// <summary>The hash of leaves [lo, hi) implied by the first <paramref name="count"/> proof hashes, or null when
    /// their number does not fit the tree.</summary>
    private static Hash? Run(IReadOnlyList<Hash> proof, int count, long lo, long hi, long index, Hash leafHash)
    {
        if (lo + 1 == hi) return count == 0 ? leafHash : null;
        if (count == 0) return null;
        var k = MerkleTree.Split(hi - lo);
        var sibling = proof[count - 1];
        if (index < lo + k)
        {
            return Run(proof, count - 1, lo, lo + k, index, leafHash) is { } left ? MerkleTree.NodeHash(left, sibling) : null;
        }
        return Run(proof, count - 1, lo + k, hi, index, leafHash) is { } right ? MerkleTree.NodeHash(sibling, right) : null;
    }
}
