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
        var siblings = new List<(long, long)>();
        AddSiblings(0, treeSize, index, siblings);
        return await MerkleTree.SubtreeHashesAsync(siblings, reader, cancellationToken);
    }

    /// <summary>The proofs that the tree of <paramref name="treeSize"/> leaves contains each of the leaves
    /// <paramref name="indexes"/>, in their order, from one read of the stored hashes they need together (a page of
    /// events shares most of them).</summary>
    public static async ValueTask<IReadOnlyList<IReadOnlyList<Hash>>> CreateManyAsync(IReadOnlyList<long> indexes, long treeSize, IHashReader reader,
        CancellationToken cancellationToken)
    {
        var siblingsOfEach = indexes.Select(index =>
        {
            var siblings = new List<(long Lo, long Hi)>();
            if (index < 0 || index >= treeSize)
            {
                throw new ArgumentOutOfRangeException(nameof(indexes), index, $"a tree of {treeSize} leaves has leaves 0 to {treeSize - 1}");
            }
            AddSiblings(0, treeSize, index, siblings);
            return siblings;
        }).ToList();
        var need = siblingsOfEach.SelectMany(siblings => MerkleTree.StoredIndexesOf(siblings.OrderBy(range => range.Lo))).Distinct().Order().ToList();
        var known = new MerkleTree.HashDictionary();
        known.AddRange(need, await MerkleTree.ReadAsync(reader, need, cancellationToken));
        var proofs = new List<IReadOnlyList<Hash>>(indexes.Count);
        foreach (var siblings in siblingsOfEach) proofs.Add(await MerkleTree.SubtreeHashesAsync(siblings, known, cancellationToken));
        return proofs;
    }

    /// <summary>Whether <paramref name="proof"/> shows that the tree of <paramref name="treeSize"/> leaves with root
    /// <paramref name="root"/> has <paramref name="leafHash"/> at <paramref name="index"/>. False for any index outside
    /// the tree and for a proof with a hash too many or too few.</summary>
    public static bool Verify(long index, Hash leafHash, long treeSize, Hash root, IReadOnlyList<Hash> proof) =>
        index >= 0 && index < treeSize && Run(proof, proof.Count, 0, treeSize, index, leafHash) == root;

    // Both walks split leaves [lo, hi) as RFC 9162 does: the left k (a power of two) and the rest.

    /// <summary>Adds, bottom-up, the leaf ranges whose hashes the path from the leaf to the root passes by.</summary>
    private static void AddSiblings(long lo, long hi, long index, List<(long, long)> siblings)
    {
        if (lo + 1 == hi) return; // the verifier has the leaf hash
        var k = MerkleTree.Split(hi - lo);
        var left = index < lo + k;
        if (left) AddSiblings(lo, lo + k, index, siblings);
        else AddSiblings(lo + k, hi, index, siblings);
        siblings.Add(left ? (lo + k, hi) : (lo, lo + k));
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
