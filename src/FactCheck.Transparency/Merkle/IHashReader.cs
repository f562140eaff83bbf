namespace FactCheck.Transparency.Merkle;

/// <summary>
/// Reads a log's stored hashes: the append-only sequence in which appending leaf n stores its leaf hash and the
/// hashes of the subtrees it completes (<see cref="MerkleTree.StoredHashesAsync"/>). A store backs it with a table
/// <c>(index, hash)</c> read in its own transaction; every tree hash or proof costs one call of O(log n) indexes.
/// </summary>
public interface IHashReader
{
    /// <summary>The hashes stored at <paramref name="indexes"/> (<see cref="MerkleTree.StoredHashIndex"/>), in the
    /// same order. The indexes come distinct and in increasing order, and are all below
    /// <see cref="MerkleTree.StoredHashCount"/> of the tree being read; a hash that is missing is an error.</summary>
    ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken);
}
