using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Tests;

/// <summary>The stored hashes of a log in a list, appended as a store would append rows; counts what is read.</summary>
internal sealed class MemoryHashStore : IHashReader
{
    private readonly List<Hash> stored = [];

    public long Size { get; private set; }

    /// <summary>How many hashes the last read asked for.</summary>
    public int LastReadCount { get; private set; }

    public int Count => stored.Count;

    public static async Task<MemoryHashStore> WithLeavesAsync(IEnumerable<Hash> leafHashes)
    {
        var store = new MemoryHashStore();
        foreach (var leaf in leafHashes) await store.AppendAsync(leaf);
        return store;
    }

    public async Task AppendAsync(Hash leafHash)
    {
        var hashes = await MerkleTree.StoredHashesAsync(Size, leafHash, this, CancellationToken.None);
        Assert.Equal(MerkleTree.StoredHashIndex(0, Size), stored.Count);
        stored.AddRange(hashes);
        Size++;
    }

    public Hash this[long index] => stored[(int)index];

    public ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken)
    {
        // The reader contract: distinct, increasing indexes, all stored.
        for (var i = 1; i < indexes.Count; i++) Assert.True(indexes[i - 1] < indexes[i], "indexes are asked for in increasing order");
        LastReadCount = indexes.Count;
        return ValueTask.FromResult<IReadOnlyList<Hash>>(indexes.Select(i => stored[checked((int)i)]).ToList());
    }
}
