using System.Text;
using FactCheck.Transparency.Audit;
using FactCheck.Transparency.Verification;
using Google.Protobuf;
using Hash = FactCheck.Transparency.Merkle.Hash;
using NoteVerifier = FactCheck.Transparency.Notes.NoteVerifier;

namespace FactCheck.Cli;

/// <summary>
/// The audit log's key as the user pinned it: the checks below trust it, never a key the server serves (a server
/// that rewrote its log could serve another). Given with --log-key or $FACTCHECK_LOG_KEY, as the verifier key itself
/// (<c>name+keyid+key</c>, printed by the server at its first start) or as a file that holds it.
/// </summary>
internal static class PinnedKey
{
    public const string Variable = "FACTCHECK_LOG_KEY";

    public static readonly Option<string?> Option = new("--log-key")
    {
        Description = $"The audit log's verifier key (or a file holding it), pinned out of band; ${Variable} sets the default",
        HelpName = "key|file",
        Recursive = true,
    };

    /// <summary>The verifier for the pinned key, or null when none is pinned.</summary>
    public static LogVerifier? Find(ParseResult parse)
    {
        var given = parse.GetValue(Option) ?? Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(given)) return null;
        var text = File.Exists(given) ? File.ReadAllText(given).Trim() : given.Trim();
        try
        {
            return new LogVerifier(NoteVerifier.Parse(text));
        }
        catch (FormatException e)
        {
            throw new CliException($"--log-key: not a note verifier key (name+keyid+key) nor a file holding one: {e.Message}", ExitCodes.Usage);
        }
    }

    public static LogVerifier Require(ParseResult parse, string what) => Find(parse) ?? throw new CliException(
        $"{what} needs the audit log's key pinned: --log-key KEY|FILE or ${Variable}. It is the verifier key the server printed at " +
        "its first start; get it from the log's operator (or your own records), not from the server being checked.", ExitCodes.Usage);
}

/// <summary>Checks what the server says about its audit log against the pinned key: checkpoints, consistency between
/// them, and events' inclusion (the work is <see cref="LogVerifier"/>'s).</summary>
internal sealed class AuditLogClient(Connection server, LogVerifier verifier)
{
    public const string CheckpointName = "auditLog/checkpoint";

    public LogVerifier Verifier => verifier;

    /// <summary>The server's latest checkpoint, its signature checked.</summary>
    public async Task<SignedCheckpoint> LatestAsync(CancellationToken cancellationToken) =>
        Open(await server.Audit.GetCheckpointAsync(new GetCheckpointRequest { Name = CheckpointName }, cancellationToken: cancellationToken));

    public SignedCheckpoint Open(Checkpoint checkpoint) => verifier.Open(Encoding.UTF8.GetBytes(checkpoint.SignedNote));

    /// <summary>Consistency proofs fetched from the server (GetConsistencyProof).</summary>
    public ConsistencyProofSource Proofs => async (oldSize, newSize, cancellationToken) =>
        ToHashes((await server.Audit.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstTreeSize = oldSize, SecondTreeSize = newSize },
            cancellationToken: cancellationToken)).Hashes);

    /// <summary>Checks that <paramref name="e"/>, as the server returned it, is at its place in the checkpoint's tree:
    /// its leaf is recomputed from its fields, so an edited event fails.</summary>
    public static void VerifyIncluded(Transparency.Notes.Checkpoint checkpoint, AuditEvent e, InclusionProof proof) =>
        LogVerifier.VerifyIncluded(checkpoint, Leaf(e), ToHashes(proof.Hashes));

    /// <summary>The event as the log's leaf (docs/audit-log.md); absent texts are empty, as the leaf encoding has them.</summary>
    public static AuditLeaf Leaf(AuditEvent e) => new(e.Sequence, e.Id, e.Time.ToDateTimeOffset(), e.Principal, e.Action, e.Resource,
        e.BeforeJson, e.AfterJson, e.Reason, e.RequestId, e.PreviousHash.ToByteArray(), e.Hash.ToByteArray());

    /// <summary>"truncation: …", "fork: …", "rewrite: …": what kind of tampering a failure shows, first.</summary>
    public static string Describe(LogVerificationException e) => e.Failure switch
    {
        LogFailure.NotIncluded => "rewrite: " + e.Message,
        LogFailure.BadSignature => "bad signature: " + e.Message,
        LogFailure.WrongLog => "wrong log: " + e.Message,
        LogFailure.Malformed => "malformed: " + e.Message,
        // Truncation, Fork and Rewrite messages say which already.
        _ => e.Message,
    };

    private static List<Hash> ToHashes(IEnumerable<ByteString> hashes) => hashes.Select(hash => hash.Length == Hash.Size
        ? new Hash(hash.Span)
        : throw new LogVerificationException(LogFailure.Malformed, $"the server sent a proof hash of {hash.Length} bytes, not {Hash.Size}")).ToList();
}
