using System.Globalization;
using System.Text;
using FactCheck.Core.Audit;
using FactCheck.Core.Errors;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Verification;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>Maps audit events, checkpoints and proofs to the wire (factcheck.v1).</summary>
internal static class AuditMapping
{
    /// <summary>The one checkpoint resource: the latest.</summary>
    public const string CheckpointName = "auditLog/checkpoint";

    private const string EventsCollection = "auditEvents";

    public static string EventName(long sequence) => $"{EventsCollection}/{sequence.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The sequence in <c>auditEvents/{sequence}</c>, or INVALID_ARGUMENT on <paramref name="field"/>.</summary>
    public static long ParseEventName(string name, string field)
    {
        var prefix = EventsCollection + "/";
        if (string.IsNullOrEmpty(name)) throw new InvalidArgumentException(field, "required: an audit event's name, auditEvents/{sequence}");
        if (!name.StartsWith(prefix, StringComparison.Ordinal)
            || !long.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
            throw new InvalidArgumentException(field, $"'{Core.ResourceNames.Truncate(name)}' is not an audit event's name, auditEvents/{{sequence}} with a sequence from 1");
        return sequence;
    }

    public static Proto.AuditEvent ToProto(AuditEvent e) => new()
    {
        Name = EventName(e.Sequence),
        Sequence = e.Sequence,
        Id = e.Id,
        Time = Timestamp.FromDateTimeOffset(e.Time),
        Principal = e.Principal,
        Action = e.Action,
        Resource = e.ResourceName,
        BeforeJson = e.Before ?? "",
        AfterJson = e.After ?? "",
        Reason = e.Reason ?? "",
        RequestId = e.RequestId ?? "",
        PreviousHash = ByteString.CopyFrom(e.PreviousHash),
        Hash = ByteString.CopyFrom(e.Hash),
    };

    public static Proto.Checkpoint ToProto(SignedCheckpoint signed, string verifierKey) => new()
    {
        Name = CheckpointName,
        Origin = signed.Checkpoint.Origin,
        TreeSize = signed.Checkpoint.Size,
        RootHash = ByteString.CopyFrom(signed.Checkpoint.RootHash.ToArray()),
        SignedNote = Encoding.UTF8.GetString(signed.Note),
        VerifierKey = verifierKey,
    };

    public static Proto.InclusionProof ToProto(long sequence, long treeSize, IReadOnlyList<Hash> proof)
    {
        var proto = new Proto.InclusionProof { AuditEvent = EventName(sequence), LeafIndex = sequence - 1, TreeSize = treeSize };
        proto.Hashes.AddRange(Bytes(proof));
        return proto;
    }

    public static IEnumerable<ByteString> Bytes(IEnumerable<Hash> hashes) => hashes.Select(hash => ByteString.CopyFrom(hash.ToArray()));
}
