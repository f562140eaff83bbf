using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FactCheck.Core.Audit;

/// <summary>The hash chain over audit events: how a store seals a new event and how an auditor checks the log.</summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event.</summary>
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>Seals <paramref name="draft"/> as the event after <paramref name="previousHash"/> at <paramref name="sequence"/>.</summary>
    public static AuditEvent Seal(AuditEvent draft, long sequence, byte[] previousHash)
    {
        var sealedEvent = draft with { Sequence = sequence, PreviousHash = previousHash };
        return sealedEvent with { Hash = HashOf(sealedEvent) };
    }

    public static byte[] HashOf(AuditEvent e)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(e.PreviousHash);
        sha.AppendData(CanonicalBytes(e));
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// Every field but the hashes, each as a length-prefixed UTF-8 string (a null differs from an empty string),
    /// in a fixed order: unambiguous, and independent of any JSON or database formatting.
    /// </summary>
    public static byte[] CanonicalBytes(AuditEvent e)
    {
        using var buffer = new MemoryStream();
        void Write(string? value)
        {
            Span<byte> length = stackalloc byte[4];
            if (value is null)
            {
                BinaryPrimitives.WriteInt32BigEndian(length, -1);
                buffer.Write(length);
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
        Write("factcheck.audit.v1");
        Write(e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Write(e.Id);
        // Microseconds: what both stores keep, so a stored event re-hashes to the same value.
        Write((e.Time.UtcTicks / 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Write(e.Principal);
        Write(e.Action);
        Write(e.ResourceName);
        Write(e.Before);
        Write(e.After);
        Write(e.Reason);
        Write(e.RequestId);
        return buffer.ToArray();
    }

    /// <summary>Walks events in sequence order; returns the first that does not follow from its predecessor (an
    /// edited, inserted, deleted or reordered event), or null when the whole chain holds.</summary>
    public static async Task<AuditBreak?> VerifyAsync(IAsyncEnumerable<AuditEvent> events, CancellationToken cancellationToken)
    {
        var previousHash = Genesis;
        long expected = 1;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            if (Check(e, expected, previousHash) is { } broken) return broken;
            previousHash = e.Hash;
            expected++;
        }
        return null;
    }

    /// <summary>Whether <paramref name="e"/> is event #<paramref name="expected"/> sealed after
    /// <paramref name="previousHash"/>: null when it is, else how it is not.</summary>
    public static AuditBreak? Check(AuditEvent e, long expected, byte[] previousHash)
    {
        if (e.Sequence != expected) return new AuditBreak(e, $"expected event #{expected} but found #{e.Sequence}: events were deleted or reordered");
        if (!e.PreviousHash.AsSpan().SequenceEqual(previousHash)) return new AuditBreak(e, "its previous hash does not match the event before it");
        if (!HashOf(e).AsSpan().SequenceEqual(e.Hash)) return new AuditBreak(e, "its contents do not match its hash: the event was edited");
        return null;
    }
}

/// <summary>Where the log is broken, and how: the first event concerned (none when the problem is the log's end, such
/// as a Merkle tree that holds more events than the log).</summary>
public sealed record AuditBreak(AuditEvent? Event, string Problem);
