using System.Security.Cryptography;
using System.Text;
using FactCheck.Transparency.Audit;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Notes;
using FactCheck.Transparency.Verification;

namespace FactCheck.Transparency.Tests.Verification;

/// <summary>A log server in memory: audit events as leaves, their stored hashes, and signed checkpoints. Tampering
/// is done as someone with write access to the database would: by building another history and serving it.</summary>
internal sealed class TestLog : IDisposable
{
    public const string Origin = "factcheck.example/audit";

    private TestLog(NoteSigner signer, List<AuditLeaf> events, MemoryHashStore store)
    {
        Signer = signer;
        Events = events;
        Store = store;
    }

    public NoteSigner Signer { get; }

    public List<AuditLeaf> Events { get; }

    public MemoryHashStore Store { get; }

    public LogVerifier Verifier => new(Signer.Verifier);

    public static async Task<TestLog> CreateAsync(int size, NoteSigner? signer = null) =>
        await FromAsync(Enumerable.Range(1, size).Select(Event).ToList(), signer ?? NoteSigner.Generate(Origin));

    public static AuditLeaf Event(int sequence) => new(
        sequence, $"event-{sequence}", DateTimeOffset.UnixEpoch.AddDays(20000).AddSeconds(sequence), "editor@newsroom.example",
        "claim.update", $"claims/{sequence % 7}", "{\"confidence\":0.5}", "{\"confidence\":0.9}", null, null,
        SHA256.HashData(Encoding.UTF8.GetBytes($"previous {sequence}")), SHA256.HashData(Encoding.UTF8.GetBytes($"hash {sequence}")));

    /// <summary>The same key serving another history.</summary>
    public async Task<TestLog> RewrittenAsync(Func<List<AuditLeaf>, List<AuditLeaf>> rewrite) =>
        await FromAsync(rewrite([.. Events]), Signer);

    public async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var e = Event(Events.Count + 1);
            Events.Add(e);
            await Store.AppendAsync(e.LeafHash());
        }
    }

    /// <summary>The signed checkpoint of the first <paramref name="size"/> events (all by default).</summary>
    public async Task<SignedCheckpoint> CheckpointAsync(long? size = null)
    {
        var treeSize = size ?? Events.Count;
        var root = await MerkleTree.TreeHashAsync(treeSize, Store, CancellationToken.None);
        var note = SignedNote.Sign(new Checkpoint(Origin, treeSize, root).ToNoteText(), Signer);
        return Verifier.Open(Encoding.UTF8.GetBytes(note));
    }

    public ConsistencyProofSource Proofs => (oldSize, newSize, ct) => ConsistencyProof.CreateAsync(oldSize, newSize, Store, ct);

    public Task<IReadOnlyList<Hash>> InclusionAsync(long index, long treeSize) =>
        InclusionProof.CreateAsync(index, treeSize, Store, CancellationToken.None).AsTask();

    public void Dispose() => Signer.Dispose();

    private static async Task<TestLog> FromAsync(List<AuditLeaf> events, NoteSigner signer) =>
        new(signer, events, await MemoryHashStore.WithLeavesAsync(events.Select(e => e.LeafHash())));
}
