using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Audit;

/// <summary>
/// One audit event as a leaf of the log's Merkle tree: every column of the event, as <c>ListAuditEvents</c> returns
/// it, so that changing any of them changes the leaf hash. Leaf index = sequence - 1. The leaf input is the
/// concatenation of these fields, each written as a 4-byte big-endian length followed by that many bytes:
/// <list type="number">
/// <item>the ASCII text <c>factcheck.audit.leaf.v1</c>;</item>
/// <item>the sequence, in ASCII decimal;</item>
/// <item>the event id;</item>
/// <item>the time in whole microseconds since the Unix epoch, in ASCII decimal (the API's
/// <c>time.seconds × 1000000 + time.nanos / 1000</c>);</item>
/// <item>principal, action, resource, before_json, after_json, reason, request_id: UTF-8, absent as empty;</item>
/// <item>previous_hash and hash (the hash chain's): their raw bytes.</item>
/// </list>
/// The leaf hash is SHA-256(0x00 ‖ leaf input) (<see cref="MerkleTree.LeafHash"/>). docs/audit-log.md has a worked example.
/// </summary>
public sealed record AuditLeaf(
    long Sequence,
    string Id,
    DateTimeOffset Time,
    string Principal,
    string Action,
    string Resource,
    string? BeforeJson,
    string? AfterJson,
    string? Reason,
    string? RequestId,
    byte[] PreviousHash,
    byte[] EventHash)
{
    /// <summary>Names this encoding, so that a different one can never be taken for it.</summary>
    public const string Version = "factcheck.audit.leaf.v1";

    /// <summary>The leaf's index in the tree.</summary>
    public long Index => Sequence - 1;

    /// <summary>Whole microseconds since the Unix epoch: what both stores keep of an event's time.</summary>
    public long UnixMicroseconds => (Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        foreach (var text in (string?[])[Version, Sequence.ToString(CultureInfo.InvariantCulture), Id,
                     UnixMicroseconds.ToString(CultureInfo.InvariantCulture), Principal, Action, Resource, BeforeJson,
                     AfterJson, Reason, RequestId])
        {
            AppendField(buffer, Encoding.UTF8.GetBytes(text ?? ""));
        }
        AppendField(buffer, PreviousHash);
        AppendField(buffer, EventHash);
        return buffer.WrittenSpan.ToArray();
    }

    public Hash LeafHash() => MerkleTree.LeafHash(ToBytes());

    private static void AppendField(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> field)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), field.Length);
        buffer.Advance(4);
        buffer.Write(field);
    }
}
