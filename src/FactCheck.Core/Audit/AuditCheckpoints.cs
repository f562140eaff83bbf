using System.Text;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Notes;
using FactCheck.Transparency.Verification;

namespace FactCheck.Core.Audit;

/// <summary>
/// The audit log as a log outsiders can check (docs/audit-log.md): checkpoints of its Merkle tree (C2SP
/// tlog-checkpoint), signed with the log's key, and the inclusion and consistency proofs that clients check against
/// them. Sizes come from the store's tree; every proof is one read of O(log n) stored hashes.
/// </summary>
public sealed class AuditCheckpoints(IAuditStore store, NoteSigner signer)
{
    // The newest checkpoint signed, reused while the tree keeps its size: a request then costs one read of the size.
    private SignedCheckpoint? newest;

    /// <summary>The log's name: the origin line of its checkpoints and its key's name.</summary>
    public string Origin => signer.Name;

    /// <summary>The public key clients pin to check checkpoints (a note verifier key).</summary>
    public NoteVerifier Verifier => signer.Verifier;

    /// <summary>The checkpoint of the whole tree as it is now.</summary>
    public async Task<SignedCheckpoint> GetLatestAsync(CancellationToken cancellationToken) =>
        await SignAsync((await store.GetLogSizeAsync(cancellationToken)).TreeSize, cancellationToken);

    /// <summary>
    /// The proof that event #<paramref name="sequence"/> is in the tree of <paramref name="treeSize"/> events, or, for
    /// a size of 0, in the latest tree, whose checkpoint then comes with it.
    /// </summary>
    public async Task<(IReadOnlyList<Hash> Proof, long TreeSize, SignedCheckpoint? Checkpoint)> InclusionProofAsync(long sequence, long treeSize,
        CancellationToken cancellationToken)
    {
        if (treeSize < 0) throw new InvalidArgumentException("tree_size", "must not be negative (0 asks for the latest tree)");
        var (size, checkpoint) = await ResolveSizeAsync(treeSize, "tree_size", cancellationToken);
        if (sequence > size)
        {
            if (checkpoint is null) throw new InvalidArgumentException("name", $"event #{sequence} is not in a tree of {size} events");
            throw new FailedPreconditionException("EVENT_NOT_IN_LOG", "name", $"event #{sequence} is beyond the log's {size} events");
        }
        return (await InclusionProof.CreateAsync(sequence - 1, size, store, cancellationToken), size, checkpoint);
    }

    /// <summary>
    /// The proof that the tree of <paramref name="secondTreeSize"/> events (0: the latest, whose checkpoint then comes
    /// with it) extends the tree of <paramref name="firstTreeSize"/> events. Equal sizes need no hashes.
    /// </summary>
    public async Task<(IReadOnlyList<Hash> Proof, long SecondTreeSize, SignedCheckpoint? Checkpoint)> ConsistencyProofAsync(long firstTreeSize,
        long secondTreeSize, CancellationToken cancellationToken)
    {
        if (firstTreeSize < 1) throw new InvalidArgumentException("first_tree_size", "must be at least 1 (every tree extends the empty one: that needs no proof)");
        if (secondTreeSize < 0) throw new InvalidArgumentException("second_tree_size", "must not be negative (0 asks for the latest tree)");
        if (secondTreeSize > 0 && firstTreeSize > secondTreeSize)
            throw new InvalidArgumentException("first_tree_size", $"must not exceed second_tree_size ({secondTreeSize})");
        var (size, checkpoint) = await ResolveSizeAsync(secondTreeSize, "second_tree_size", cancellationToken);
        if (firstTreeSize > size)
            throw new FailedPreconditionException("TREE_SIZE_BEYOND_LOG", "first_tree_size", $"{firstTreeSize} is beyond the log's {size} events");
        return (await ConsistencyProof.CreateAsync(firstTreeSize, size, store, cancellationToken), size, checkpoint);
    }

    /// <summary>The proofs that <paramref name="events"/>, as stored, are in the tree of <paramref name="checkpoint"/>,
    /// from one read.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<Hash>>> InclusionProofsAsync(IReadOnlyList<AuditEvent> events, SignedCheckpoint checkpoint,
        CancellationToken cancellationToken) =>
        await InclusionProof.CreateManyAsync(events.Select(e => e.Sequence - 1).ToList(), checkpoint.Checkpoint.Size, store, cancellationToken);

    /// <summary>A requested tree size checked against the tree's (0: the latest, with its checkpoint).</summary>
    private async Task<(long Size, SignedCheckpoint? Checkpoint)> ResolveSizeAsync(long requested, string field, CancellationToken cancellationToken)
    {
        if (requested == 0)
        {
            var latest = await GetLatestAsync(cancellationToken);
            return (latest.Checkpoint.Size, latest);
        }
        var size = (await store.GetLogSizeAsync(cancellationToken)).TreeSize;
        if (requested > size) throw new FailedPreconditionException("TREE_SIZE_BEYOND_LOG", field, $"{requested} is beyond the log's {size} events");
        return (requested, null);
    }

    private async Task<SignedCheckpoint> SignAsync(long size, CancellationToken cancellationToken)
    {
        if (newest is { } cached && cached.Checkpoint.Size == size) return cached;
        var checkpoint = new Checkpoint(Origin, size, await MerkleTree.TreeHashAsync(size, store, cancellationToken));
        var signed = new SignedCheckpoint(checkpoint, Encoding.UTF8.GetBytes(SignedNote.Sign(checkpoint.ToNoteText(), signer)));
        // Sizes only grow; a slower request that read an older size must not put its checkpoint back.
        if (newest is null || newest.Checkpoint.Size < size) newest = signed;
        return signed;
    }
}
