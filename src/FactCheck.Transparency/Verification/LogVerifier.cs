using FactCheck.Transparency.Audit;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Notes;

namespace FactCheck.Transparency.Verification;

/// <summary>A checkpoint with the exact signed note it came in, which is what a client saves and a witness keeps.</summary>
public sealed record SignedCheckpoint(Checkpoint Checkpoint, byte[] Note);

/// <summary>Fetches the consistency proof from the tree of <paramref name="oldSize"/> leaves to the one of
/// <paramref name="newSize"/> (the server's GetConsistencyProof).</summary>
public delegate ValueTask<IReadOnlyList<Hash>> ConsistencyProofSource(long oldSize, long newSize, CancellationToken cancellationToken);

/// <summary>
/// What a client checks without trusting the server: that a checkpoint is signed by the log's pinned key, that a
/// later checkpoint extends one saved earlier, and that events are in a checkpoint's tree. Each failure is a
/// <see cref="LogVerificationException"/> that names the kind of tampering it shows.
/// </summary>
public sealed class LogVerifier
{
    private readonly NoteVerifier[] logKey;

    /// <param name="logKey">The log's verifier key, pinned by the client.</param>
    /// <param name="origin">The log's origin line; by default the key's name, as the C2SP checkpoint spec advises.</param>
    public LogVerifier(NoteVerifier logKey, string? origin = null)
    {
        this.logKey = [logKey];
        Origin = origin ?? logKey.Name;
    }

    public string Origin { get; }

    /// <summary>Checks the signature on a checkpoint note and parses it.</summary>
    public SignedCheckpoint Open(ReadOnlySpan<byte> signedNote)
    {
        SignedNote note;
        try
        {
            note = SignedNote.Open(signedNote, logKey);
        }
        catch (NoteException e) when (e.Error == NoteError.Malformed)
        {
            throw new LogVerificationException(LogFailure.Malformed, $"the checkpoint is not a signed note: {e.Message}", e);
        }
        catch (NoteException e)
        {
            throw new LogVerificationException(LogFailure.BadSignature, $"the checkpoint is not signed by the log's key {logKey[0].Name}+{logKey[0].KeyId:x8}: {e.Message}", e);
        }
        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (FormatException e)
        {
            throw new LogVerificationException(LogFailure.Malformed, $"the signed note is not a checkpoint: {e.Message}", e);
        }
        if (checkpoint.Origin != Origin)
        {
            throw new LogVerificationException(LogFailure.WrongLog, $"the checkpoint is of the log '{checkpoint.Origin}', not '{Origin}'");
        }
        return new SignedCheckpoint(checkpoint, signedNote.ToArray());
    }

    /// <summary>
    /// Checks that <paramref name="latest"/> extends <paramref name="trusted"/>: not smaller, the same tree if the same
    /// size, and otherwise proven to hold the trusted tree as its first leaves by <paramref name="proof"/>.
    /// </summary>
    public static void VerifyExtends(Checkpoint trusted, Checkpoint latest, IReadOnlyList<Hash> proof)
    {
        if (latest.Origin != trusted.Origin)
        {
            throw new LogVerificationException(LogFailure.WrongLog, $"the checkpoints are of two logs, '{trusted.Origin}' and '{latest.Origin}'");
        }
        if (latest.Size < trusted.Size)
        {
            throw new LogVerificationException(LogFailure.Truncation,
                $"truncation: the log now has {latest.Size} events, fewer than the {trusted.Size} it signed before; events were deleted from its end");
        }
        if (latest.Size == trusted.Size)
        {
            if (latest.RootHash == trusted.RootHash) return;
            throw new LogVerificationException(LogFailure.Fork,
                $"fork: two different logs of {latest.Size} events were signed (roots {trusted.RootHash} and {latest.RootHash}); the history was rewritten or is shown differently to different clients");
        }
        // Every tree extends the empty one.
        if (trusted.Size == 0) return;
        if (!ConsistencyProof.Verify(trusted.Size, trusted.RootHash, latest.Size, latest.RootHash, proof))
        {
            throw new LogVerificationException(LogFailure.Rewrite,
                $"rewrite: the log of {latest.Size} events does not extend the one of {trusted.Size} events signed before (the consistency proof fails); events up to #{trusted.Size} were changed, deleted or inserted");
        }
    }

    /// <summary><see cref="VerifyExtends(Checkpoint, Checkpoint, IReadOnlyList{Hash})"/>, fetching the proof only when
    /// one is needed.</summary>
    public static async ValueTask VerifyExtendsAsync(Checkpoint trusted, Checkpoint latest, ConsistencyProofSource proofs, CancellationToken cancellationToken)
    {
        var needsProof = trusted.Size > 0 && latest.Size > trusted.Size && latest.Origin == trusted.Origin;
        var proof = needsProof ? await proofs(trusted.Size, latest.Size, cancellationToken) : [];
        VerifyExtends(trusted, latest, proof);
    }

    /// <summary>Checks that <paramref name="auditEvent"/>, as served, is the leaf at its sequence in the tree of
    /// <paramref name="checkpoint"/>, by <paramref name="proof"/>.</summary>
    public static void VerifyIncluded(Checkpoint checkpoint, AuditLeaf auditEvent, IReadOnlyList<Hash> proof)
    {
        if (auditEvent.Index < 0 || auditEvent.Index >= checkpoint.Size)
        {
            throw new LogVerificationException(LogFailure.NotIncluded,
                $"event #{auditEvent.Sequence} is not in the signed log of {checkpoint.Size} events");
        }
        if (!InclusionProof.Verify(auditEvent.Index, auditEvent.LeafHash(), checkpoint.Size, checkpoint.RootHash, proof))
        {
            throw new LogVerificationException(LogFailure.NotIncluded,
                $"event #{auditEvent.Sequence} as served is not the one in the signed log of {checkpoint.Size} events (the inclusion proof fails): it was edited, or the proof is wrong");
        }
    }
}
