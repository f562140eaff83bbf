using System.Text;
using CsCheck;
using FactCheck.Transparency.Merkle;
using Hash = FactCheck.Transparency.Merkle.Hash;

namespace FactCheck.Transparency.Tests.Merkle;

/// <summary>
/// For random trees of up to <see cref="MaxSize"/> leaves: every proof the stored hashes give is the one RFC 9162
/// defines (<see cref="Rfc9162"/>), verifies, and stops verifying when any single bit of it, of the leaf, of a root,
/// of the leaf index or of the old size changes, or when a hash is dropped or added.
/// A tree size is not bound by a proof alone (a proof for 6 leaves can also be one for 7: the same hashes combine
/// the same way), which is why clients only take sizes from signed checkpoints, whose every bit the signature binds
/// (<c>CheckpointTests</c>).
/// </summary>
public sealed class ProofPropertyTests
{
    private const int MaxSize = 300;

    private static readonly byte[][] Leaves = Enumerable.Range(0, MaxSize).Select(i => Encoding.UTF8.GetBytes($"leaf {i}")).ToArray();

    private static readonly Lazy<Task<MemoryHashStore>> Store =
        new(() => MemoryHashStore.WithLeavesAsync(Leaves.Select(leaf => MerkleTree.LeafHash(leaf))));

    [Fact(Timeout = Timeouts.Property)]
    public async Task Every_inclusion_proof_is_the_RFC_one_verifies_and_fails_on_any_changed_bit()
    {
        var store = await Store.Value;
        var sizeAndIndex = Gen.Int[1, MaxSize].SelectMany(size => Gen.Int[0, size - 1].Select(index => (size, index)));
        await sizeAndIndex.SampleAsync(async sample =>
        {
            var (size, index) = sample;
            var leaves = Leaves.Take(size).ToList();
            var root = Rfc9162.ToHash(Rfc9162.TreeHash(leaves));
            var leaf = MerkleTree.LeafHash(Leaves[index]);
            var proof = await InclusionProof.CreateAsync(index, size, store, CancellationToken.None);

            Assert.Equal(Rfc9162.InclusionPath(index, leaves).Select(Rfc9162.ToHash), proof);
            AssertOnlyTheTrueProofVerifies(proof, leaf, root, index, (p, l, r, i) => InclusionProof.Verify(i, l, size, r, p));
        }, iter: 100);
    }

    [Fact(Timeout = Timeouts.Property)]
    public async Task Every_consistency_proof_is_the_RFC_one_verifies_and_fails_on_any_changed_bit()
    {
        var store = await Store.Value;
        var sizes = Gen.Int[1, MaxSize].SelectMany(newSize => Gen.Int[1, newSize].Select(oldSize => (oldSize, newSize)));
        await sizes.SampleAsync(async sample =>
        {
            var (oldSize, newSize) = sample;
            var oldRoot = Rfc9162.ToHash(Rfc9162.TreeHash(Leaves.Take(oldSize).ToList()));
            var newRoot = Rfc9162.ToHash(Rfc9162.TreeHash(Leaves.Take(newSize).ToList()));
            var proof = await ConsistencyProof.CreateAsync(oldSize, newSize, store, CancellationToken.None);

            Assert.Equal(Rfc9162.ConsistencyProof(oldSize, Leaves.Take(newSize).ToList()).Select(Rfc9162.ToHash), proof);
            AssertOnlyTheTrueProofVerifies(proof, oldRoot, newRoot, oldSize, (p, o, n, s) => ConsistencyProof.Verify(s, o, newSize, n, p));
        }, iter: 100);
    }

    [Fact(Timeout = Timeouts.Property)]
    public async Task A_proof_against_a_tree_with_one_leaf_changed_fails()
    {
        var store = await Store.Value;
        var sample = Gen.Int[2, MaxSize].SelectMany(size => Gen.Int[0, size - 1].SelectMany(changed => Gen.Int[1, size].Select(oldSize => (size, changed, oldSize))));
        await sample.SampleAsync(async s =>
        {
            var (size, changed, oldSize) = s;
            // The server kept its stored hashes but serves the root of a history in which one event was edited.
            var edited = Leaves.Take(size).ToList();
            edited[changed] = Encoding.UTF8.GetBytes($"edited {changed}");
            var editedRoot = Rfc9162.ToHash(Rfc9162.TreeHash(edited));
            var honestOldRoot = Rfc9162.ToHash(Rfc9162.TreeHash(Leaves.Take(oldSize).ToList()));
            var index = (changed + 1) % size;
            var inclusion = await InclusionProof.CreateAsync(index, size, store, CancellationToken.None);
            Assert.False(InclusionProof.Verify(index, MerkleTree.LeafHash(Leaves[index]), size, editedRoot, inclusion));
            if (oldSize < size || changed < oldSize)
            {
                var consistency = await ConsistencyProof.CreateAsync(oldSize, size, store, CancellationToken.None);
                Assert.False(ConsistencyProof.Verify(oldSize, honestOldRoot, size, editedRoot, consistency));
            }
        }, iter: 100);
    }

    /// <summary>Asserts that <paramref name="verify"/> accepts the proof as made, and refuses it with any single bit of
    /// a proof hash, of either hash it links (leaf and root, or old and new root) or of the position (leaf index or old
    /// size) changed, or with a hash dropped or added.</summary>
    private static void AssertOnlyTheTrueProofVerifies(IReadOnlyList<Hash> proof, Hash first, Hash second, long position,
        Func<IReadOnlyList<Hash>, Hash, Hash, long, bool> verify)
    {
        Assert.True(verify(proof, first, second, position));
        foreach (var changed in WithOneBitChanged(proof)) Assert.False(verify(changed, first, second, position));
        foreach (var bit in Bits)
        {
            Assert.False(verify(proof, Flip(first, bit), second, position));
            Assert.False(verify(proof, first, Flip(second, bit), position));
        }
        foreach (var bit in Enumerable.Range(0, 63)) Assert.False(verify(proof, first, second, position ^ (1L << bit)));
        foreach (var shorter in WithOneHashDropped(proof)) Assert.False(verify(shorter, first, second, position));
        Assert.False(verify([.. proof, second], first, second, position));
    }

    private static IEnumerable<int> Bits => Enumerable.Range(0, 8 * Hash.Size);

    private static Hash Flip(Hash hash, int bit)
    {
        var bytes = hash.ToArray();
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return new Hash(bytes);
    }

    private static IEnumerable<List<Hash>> WithOneBitChanged(IReadOnlyList<Hash> proof) =>
        from position in Enumerable.Range(0, proof.Count)
        from bit in Bits
        select proof.Select((hash, i) => i == position ? Flip(hash, bit) : hash).ToList();

    private static IEnumerable<List<Hash>> WithOneHashDropped(IReadOnlyList<Hash> proof) =>
        Enumerable.Range(0, proof.Count).Select(dropped => proof.Where((_, i) => i != dropped).ToList());
}
