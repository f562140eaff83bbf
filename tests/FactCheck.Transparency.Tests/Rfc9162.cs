using System.Security.Cryptography;
using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Tests;

/// <summary>
/// RFC 9162 §2.1 written out as the RFC states it, recursively over the list of leaf inputs, with its own SHA-256:
/// a reference the stored-hash algorithms of the library are compared with. Shares no code with them.
/// </summary>
internal static class Rfc9162
{
    /// <summary>MTH(D[n]).</summary>
    public static byte[] TreeHash(IReadOnlyList<byte[]> leaves) => leaves.Count switch
    {
        0 => SHA256.HashData(Array.Empty<byte>()),
        1 => SHA256.HashData([0x00, .. leaves[0]]),
        var n => Node(TreeHash(leaves.Take(K(n)).ToList()), TreeHash(leaves.Skip(K(n)).ToList())),
    };

    /// <summary>PATH(m, D[n]), bottom-up.</summary>
    public static List<byte[]> InclusionPath(int m, IReadOnlyList<byte[]> leaves)
    {
        var n = leaves.Count;
        if (n == 1) return [];
        var k = K(n);
        return m < k
            ? [.. InclusionPath(m, leaves.Take(k).ToList()), TreeHash(leaves.Skip(k).ToList())]
            : [.. InclusionPath(m - k, leaves.Skip(k).ToList()), TreeHash(leaves.Take(k).ToList())];
    }

    /// <summary>PROOF(m, D[n]) = SUBPROOF(m, D[n], true).</summary>
    public static List<byte[]> ConsistencyProof(int m, IReadOnlyList<byte[]> leaves) => SubProof(m, leaves, true);

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> leaves, bool wholeOldTree)
    {
        var n = leaves.Count;
        if (m == n) return wholeOldTree ? [] : [TreeHash(leaves)];
        var k = K(n);
        return m <= k
            ? [.. SubProof(m, leaves.Take(k).ToList(), wholeOldTree), TreeHash(leaves.Skip(k).ToList())]
            : [.. SubProof(m - k, leaves.Skip(k).ToList(), false), TreeHash(leaves.Take(k).ToList())];
    }

    /// <summary>The largest power of two smaller than n.</summary>
    private static int K(int n)
    {
        var k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    public static Hash ToHash(byte[] bytes) => new(bytes);
}
