using System.Text.Json;
using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Tests.Merkle;

/// <summary>
/// transparency-dev/merkle's proof probes (TestData/transparency-dev-merkle): for each, our verifier must accept
/// exactly when theirs does.
/// </summary>
public sealed class TransparencyDevProbeTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "TestData", "transparency-dev-merkle");

    /// <summary>The one probe whose "hashes" are not 32 bytes yet must pass (it checks only that equal roots of equal
    /// sizes need no proof). Our verifiers take SHA-256 hashes, which cannot hold its 12-byte stand-ins.</summary>
    private const string NotSha256Probe = "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json";

    public static TheoryData<string> InclusionProbes => Probes("inclusion");

    public static TheoryData<string> ConsistencyProbes => Probes("consistency");

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(InclusionProbes))]
    public async Task Inclusion_verification_agrees_with_the_probe(string probePath)
    {
        using var probe = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, probePath)));
        var p = probe.RootElement;
        var accepted = p.GetProperty("leafIdx").TryGetInt64(out var index)
            && TryHash(p.GetProperty("leafHash"), out var leafHash)
            && TryHash(p.GetProperty("root"), out var root)
            && TryProof(p.GetProperty("proof"), out var proof)
            && InclusionProof.Verify(index, leafHash, p.GetProperty("treeSize").GetInt64(), root, proof);
        Assert.Equal(!p.GetProperty("wantErr").GetBoolean(), accepted);
    }

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(ConsistencyProbes))]
    public async Task Consistency_verification_agrees_with_the_probe(string probePath)
    {
        using var probe = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, probePath)));
        var p = probe.RootElement;
        var accepted = TryHash(p.GetProperty("root1"), out var oldRoot)
            && TryHash(p.GetProperty("root2"), out var newRoot)
            && TryProof(p.GetProperty("proof"), out var proof)
            && ConsistencyProof.Verify(p.GetProperty("size1").GetInt64(), oldRoot, p.GetProperty("size2").GetInt64(), newRoot, proof);
        Assert.Equal(!p.GetProperty("wantErr").GetBoolean(), accepted);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task All_probes_are_found()
    {
        await Task.Yield();
        // 98 of each at the copied commit, one of which cannot be expressed.
        Assert.Equal(98, InclusionProbes.Count);
        Assert.Equal(97, ConsistencyProbes.Count);
    }

    private static TheoryData<string> Probes(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, kind), "*.json", SearchOption.AllDirectories).Order())
        {
            var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
            if (relative != NotSha256Probe) data.Add(relative);
        }
        return data;
    }

    private static bool TryHash(JsonElement value, out Hash hash)
    {
        hash = default;
        return value.ValueKind == JsonValueKind.String && Hash.TryParse(value.GetString(), out hash);
    }

    private static bool TryProof(JsonElement value, out IReadOnlyList<Hash> proof)
    {
        var hashes = new List<Hash>();
        proof = hashes;
        if (value.ValueKind == JsonValueKind.Null) return true;
        foreach (var element in value.EnumerateArray())
        {
            if (!TryHash(element, out var hash)) return false;
            hashes.Add(hash);
        }
        return true;
    }
}
