using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Tests.Merkle;

/// <summary>
/// The RFC 6962 test tree of the Certificate Transparency project (merkle_tree_test.cc, reused as
/// transparency-dev/merkle's testonly/constants.go and reference_test.go): eight leaf inputs with the root of every
/// prefix, and some inclusion and consistency proofs, all computed by that project's code. Our tree is built leaf by
/// leaf through stored hashes, as a store would, and must produce the same roots and proofs.
/// </summary>
public sealed class Rfc6962TestTreeTests
{
    private static readonly byte[][] Leaves =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(Convert.FromHexString).ToArray();

    /// <summary>Roots of the trees of 0 to 8 leaves.</summary>
    private static readonly string[] Roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    public static TheoryData<int, int, string[]> InclusionProofs => new()
    {
        { 0, 1, [] },
        { 0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"] },
        { 1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        {
            1, 5,
            [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        },
        {
            0, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        },
        {
            5, 8,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        },
    };

    public static TheoryData<int, int, string[]> ConsistencyProofs => new()
    {
        { 1, 1, [] },
        {
            1, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        },
        {
            2, 5,
            [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        },
        {
            6, 8,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        },
    };

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Leaf_and_node_hashes_are_those_of_RFC_6962()
    {
        await Task.Yield();
        // The first leaf (empty input) and the first interior node of the test tree.
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Hex(MerkleTree.LeafHash(Leaves[0])));
        Assert.Equal("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            Hex(MerkleTree.NodeHash(MerkleTree.LeafHash(Leaves[0]), MerkleTree.LeafHash(Leaves[1]))));
        Assert.Equal(Roots[0], Hex(MerkleTree.EmptyRoot));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Every_prefix_of_the_tree_has_the_known_root()
    {
        var store = await Build(8);
        for (var size = 0; size <= 8; size++)
        {
            Assert.Equal(Roots[size], Hex(await MerkleTree.TreeHashAsync(size, store, CancellationToken.None)));
        }
    }

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(InclusionProofs))]
    public async Task Inclusion_proofs_are_the_known_ones_and_verify(int index, int treeSize, string[] expected)
    {
        var store = await Build(treeSize);
        var proof = await InclusionProof.CreateAsync(index, treeSize, store, CancellationToken.None);
        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(InclusionProof.Verify(index, MerkleTree.LeafHash(Leaves[index]), treeSize, Root(treeSize), proof));
    }

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(ConsistencyProofs))]
    public async Task Consistency_proofs_are_the_known_ones_and_verify(int oldSize, int newSize, string[] expected)
    {
        var store = await Build(newSize);
        var proof = await ConsistencyProof.CreateAsync(oldSize, newSize, store, CancellationToken.None);
        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(ConsistencyProof.Verify(oldSize, Root(oldSize), newSize, Root(newSize), proof));
    }

    private static async Task<MemoryHashStore> Build(int size) =>
        await MemoryHashStore.WithLeavesAsync(Leaves.Take(size).Select(leaf => MerkleTree.LeafHash(leaf)));

    private static Hash Root(int size) => new(Convert.FromHexString(Roots[size]));

    private static string Hex(Hash hash) => Convert.ToHexStringLower(hash.ToArray());
}
