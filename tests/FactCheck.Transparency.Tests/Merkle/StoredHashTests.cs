using System.Text;
using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Tests.Merkle;

public sealed class StoredHashTests
{
    [Fact(Timeout = Timeouts.Short)]
    public async Task Stored_hashes_are_laid_out_as_in_Go_tlog()
    {
        await Task.Yield();
        // Appending leaf n stores its hash, then the subtrees it completes: leaf 0; leaf 1, node(0..1); leaf 2; leaf 3,
        // node(2..3), node(0..3); leaf 4; ...
        (int Level, long N)[] order = [(0, 0), (0, 1), (1, 0), (0, 2), (0, 3), (1, 1), (2, 0), (0, 4), (0, 5), (1, 2), (0, 6), (0, 7), (1, 3), (2, 1), (3, 0)];
        for (var index = 0; index < order.Length; index++)
        {
            Assert.Equal(index, MerkleTree.StoredHashIndex(order[index].Level, order[index].N));
        }
        Assert.Equal([0L, 1, 3, 4, 7, 8, 10, 11, 15], Enumerable.Range(0, 9).Select(size => MerkleTree.StoredHashCount(size)));
    }

    [Fact(Timeout = Timeouts.Short)]
    public async Task Each_append_stores_StoredHashCount_hashes_and_every_root_matches_the_RFC_definition()
    {
        var leaves = new List<byte[]>();
        var store = new MemoryHashStore();
        for (var size = 1; size <= 70; size++)
        {
            leaves.Add(Encoding.UTF8.GetBytes($"leaf {size - 1}"));
            await store.AppendAsync(MerkleTree.LeafHash(leaves[^1]));
            Assert.Equal(MerkleTree.StoredHashCount(size), store.Count);
            Assert.Equal(Rfc9162.ToHash(Rfc9162.TreeHash(leaves)), await MerkleTree.TreeHashAsync(size, store, CancellationToken.None));
        }
    }

    [Fact(Timeout = Timeouts.Short)]
    public async Task A_root_or_a_proof_reads_a_logarithmic_number_of_hashes()
    {
        var store = await MemoryHashStore.WithLeavesAsync(Enumerable.Range(0, 5000).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))));
        const int log2 = 13; // 2^12 < 5000 <= 2^13
        await MerkleTree.TreeHashAsync(4999, store, CancellationToken.None);
        Assert.InRange(store.LastReadCount, 1, log2 + 1);
        await InclusionProof.CreateAsync(1234, 4999, store, CancellationToken.None);
        Assert.InRange(store.LastReadCount, 1, 2 * log2);
        await ConsistencyProof.CreateAsync(1234, 4999, store, CancellationToken.None);
        Assert.InRange(store.LastReadCount, 1, 2 * log2);
        // Appending leaf 4095 completes 12 subtrees, so reads their 12 left siblings.
        var hashes = await MerkleTree.StoredHashesAsync(4095, MerkleTree.LeafHash([1]), store, CancellationToken.None);
        Assert.Equal(13, hashes.Count);
        Assert.Equal(12, store.LastReadCount);
    }

    [Fact(Timeout = Timeouts.Short)]
    public async Task Stored_hashes_of_an_append_are_what_the_store_then_holds()
    {
        var store = await MemoryHashStore.WithLeavesAsync(Enumerable.Range(0, 8).Select(i => MerkleTree.LeafHash([(byte)i])));
        // Leaf 7 completed the subtrees of 2, 4 and 8 leaves: the last one is the root of the 8-leaf tree.
        Assert.Equal(await MerkleTree.TreeHashAsync(8, store, CancellationToken.None), store[MerkleTree.StoredHashIndex(3, 0)]);
        Assert.Equal(await MerkleTree.TreeHashAsync(4, store, CancellationToken.None), store[MerkleTree.StoredHashIndex(2, 0)]);
    }

    [Fact(Timeout = Timeouts.Short)]
    public async Task Proofs_of_impossible_trees_are_refused()
    {
        var store = await MemoryHashStore.WithLeavesAsync([MerkleTree.LeafHash([1]), MerkleTree.LeafHash([2])]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InclusionProof.CreateAsync(2, 2, store, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InclusionProof.CreateAsync(-1, 2, store, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ConsistencyProof.CreateAsync(0, 2, store, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ConsistencyProof.CreateAsync(3, 2, store, CancellationToken.None).AsTask());
    }

    [Fact(Timeout = Timeouts.Short)]
    public async Task A_reader_that_returns_too_few_hashes_is_an_error()
    {
        var store = await MemoryHashStore.WithLeavesAsync(Enumerable.Range(0, 5).Select(i => MerkleTree.LeafHash([(byte)i])));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MerkleTree.TreeHashAsync(5, new ShortReader(store), CancellationToken.None).AsTask());
        Assert.Contains("got 1", error.Message);
    }

    private sealed class ShortReader(IHashReader inner) : IHashReader
    {
        public async ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken) =>
            (await inner.ReadHashesAsync(indexes, cancellationToken)).Take(1).ToList();
    }
}
