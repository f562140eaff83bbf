using System.Text;
using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Tests.Merkle;

public sealed class StoredHashTests
{
    [Fact(Timeout = TestTimeouts.Unit)]
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

    [Fact(Timeout = TestTimeouts.Unit)]
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

    [Fact(Timeout = TestTimeouts.Unit)]
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

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Stored_hashes_of_an_append_are_what_the_store_then_holds()
    {
        var store = await MemoryHashStore.WithLeavesAsync(Enumerable.Range(0, 8).Select(i => MerkleTree.LeafHash([(byte)i])));
        // Leaf 7 completed the subtrees of 2, 4 and 8 leaves: the last one is the root of the 8-leaf tree.
        Assert.Equal(await MerkleTree.TreeHashAsync(8, store, CancellationToken.None), store[MerkleTree.StoredHashIndex(3, 0)]);
        Assert.Equal(await MerkleTree.TreeHashAsync(4, store, CancellationToken.None), store[MerkleTree.StoredHashIndex(2, 0)]);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Appending_a_batch_stores_what_appending_its_leaves_one_by_one_does_from_one_read_of_the_frontier()
    {
        var leaves = Enumerable.Range(0, 300).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToList();
        var oneByOne = await MemoryHashStore.WithLeavesAsync(leaves);
        foreach (var (size, count) in new[] { (0, 1), (0, 300), (1, 1), (5, 3), (7, 1), (8, 9), (64, 100), (100, 200), (255, 45), (299, 1) })
        {
            var before = new CountingReader(await MemoryHashStore.WithLeavesAsync(leaves.Take(size)));

            var appended = await MerkleTree.AppendAsync(size, leaves.Skip(size).Take(count).ToList(), before, CancellationToken.None);

            var first = MerkleTree.StoredHashCount(size);
            Assert.Equal(MerkleTree.StoredHashCount(size + count) - first, appended.Count);
            Assert.Equal(Enumerable.Range(0, appended.Count).Select(i => oneByOne[first + i]), appended);
            // One read, of one hash per bit set in the size: the complete subtrees of the tree before the batch.
            Assert.Equal(size == 0 ? 0 : 1, before.Reads);
            Assert.Equal(System.Numerics.BitOperations.PopCount((ulong)size), before.HashesRead);
        }
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_tree_size_is_read_off_the_number_of_stored_hashes()
    {
        await Task.Yield();
        for (long size = 0; size <= 5000; size++)
        {
            var count = MerkleTree.StoredHashCount(size);
            Assert.Equal(size, MerkleTree.TreeSize(count));
            // A count between two trees' is the smaller tree's (a row short of the next leaf's hashes).
            Assert.Equal(size, MerkleTree.TreeSize(MerkleTree.StoredHashCount(size + 1) - 1));
        }
        Assert.Equal(1_000_000, MerkleTree.TreeSize(1_999_993));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Many_inclusion_proofs_are_the_single_ones_from_one_read()
    {
        var store = new CountingReader(await MemoryHashStore.WithLeavesAsync(Enumerable.Range(0, 1000).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i)))));
        long[] indexes = [0, 1, 500, 501, 502, 998, 5, 5];

        var proofs = await InclusionProof.CreateManyAsync(indexes, 999, store, CancellationToken.None);

        Assert.Equal(1, store.Reads);
        for (var i = 0; i < indexes.Length; i++)
        {
            Assert.Equal(await InclusionProof.CreateAsync(indexes[i], 999, store, CancellationToken.None), proofs[i]);
        }
        Assert.Empty(await InclusionProof.CreateManyAsync([], 999, store, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InclusionProof.CreateManyAsync([3, 999], 999, store, CancellationToken.None).AsTask());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Proofs_of_impossible_trees_are_refused()
    {
        var store = await MemoryHashStore.WithLeavesAsync([MerkleTree.LeafHash([1]), MerkleTree.LeafHash([2])]);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InclusionProof.CreateAsync(2, 2, store, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => InclusionProof.CreateAsync(-1, 2, store, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ConsistencyProof.CreateAsync(0, 2, store, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ConsistencyProof.CreateAsync(3, 2, store, CancellationToken.None).AsTask());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_reader_that_returns_too_few_hashes_is_an_error()
    {
        var store = await MemoryHashStore.WithLeavesAsync(Enumerable.Range(0, 5).Select(i => MerkleTree.LeafHash([(byte)i])));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MerkleTree.TreeHashAsync(5, new ShortReader(store), CancellationToken.None).AsTask());
        Assert.Contains("got 1", error.Message);
    }

    /// <summary>Counts the reads made through it, and the hashes they asked for.</summary>
    private sealed class CountingReader(IHashReader inner) : IHashReader
    {
        public int Reads { get; private set; }

        public int HashesRead { get; private set; }

        public ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken)
        {
            Reads++;
            HashesRead += indexes.Count;
            return inner.ReadHashesAsync(indexes, cancellationToken);
        }
    }

    private sealed class ShortReader(IHashReader inner) : IHashReader
    {
        public async ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken) =>
            (await inner.ReadHashesAsync(indexes, cancellationToken)).Take(1).ToList();
    }
}
