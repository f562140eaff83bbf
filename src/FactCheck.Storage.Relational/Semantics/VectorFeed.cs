using System.Runtime.InteropServices;

namespace FactCheck.Storage.Relational.Semantics;

/// <summary>
/// The statements that keep claim_vectors and embedding_queue in step with a claim's writes, run by
/// <see cref="ClaimStore"/> in its own transactions, and the vectors' stored form.
/// </summary>
public static class VectorFeed
{
    /// <summary>Queues new claims (their first version) in the transaction that inserts them, in one statement.</summary>
    public static void Enqueue(StatementBatch batch, SqlDialect dialect, IReadOnlyList<long> claimSeqs) =>
        batch.Add($"INSERT INTO embedding_queue (claim_seq, claim_version) SELECT k.value, 1 FROM {dialect.Elements("@seqs", "k")}",
            ("@seqs", claimSeqs.ToArray()));

    /// <summary>A claim's text changed: its new version waits for a vector, and its old vector leaves the feed.</summary>
    public static async Task RequeueAsync(DbSession session, long claimSeq, long version, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(
            """
            INSERT INTO embedding_queue (claim_seq, claim_version) VALUES (@claim_seq, @version)
            ON CONFLICT (claim_seq) DO UPDATE SET claim_version = excluded.claim_version, lease_until = NULL
            """, cancellationToken, ("@claim_seq", claimSeq), ("@version", version));
        await RemoveAsync(session, claimSeq, cancellationToken);
    }

    /// <summary>A claim was deleted: off the queue, and its vector out of the feed.</summary>
    public static async Task DropAsync(DbSession session, long claimSeq, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM embedding_queue WHERE claim_seq = @claim_seq", cancellationToken, ("@claim_seq", claimSeq));
        await RemoveAsync(session, claimSeq, cancellationToken);
    }

    /// <summary>
    /// Serializes the caller's transaction on <see cref="WriteScope.Vectors"/> and returns the feed's last position: the
    /// caller numbers its changes after it, and no other transaction can number any until this one commits, so the
    /// feed's positions follow commit order with no gap (a reader that saw position n has seen every change before).
    /// </summary>
    public static async Task<long> LastPositionAsync(DbSession session, CancellationToken cancellationToken)
    {
        await session.Dialect.SerializeAsync(session, WriteScope.Vectors, null, cancellationToken);
        return Convert.ToInt64(await session.ScalarAsync("SELECT coalesce(max(position), 0) FROM claim_vectors", cancellationToken));
    }

    // The lock is taken only when there is a vector to remove, so claims never embedded (no model configured) cost
    // nothing more to change or delete.
    private static async Task RemoveAsync(DbSession session, long claimSeq, CancellationToken cancellationToken)
    {
        if (await session.ScalarAsync("SELECT 1 FROM claim_vectors WHERE claim_seq = @claim_seq AND vector IS NOT NULL", cancellationToken,
                ("@claim_seq", claimSeq)) is null) return;
        var position = await LastPositionAsync(session, cancellationToken) + 1;
        await session.ExecuteAsync("UPDATE claim_vectors SET position = @position, vector = NULL WHERE claim_seq = @claim_seq", cancellationToken,
            ("@position", position), ("@claim_seq", claimSeq));
    }

    /// <summary>A vector as stored: half-precision floats, little-endian (768 bytes for 384 dimensions). Half precision
    /// changes a cosine by about 1e-3, far below any threshold's resolution.</summary>
    public static byte[] ToBlob(ReadOnlySpan<float> vector)
    {
        var half = new Half[vector.Length];
        for (var i = 0; i < vector.Length; i++) half[i] = (Half)vector[i];
        var bytes = MemoryMarshal.AsBytes(half.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("vectors are stored little-endian");
        return bytes;
    }

    public static float[] FromBlob(byte[] blob)
    {
        var half = MemoryMarshal.Cast<byte, Half>(blob);
        var vector = new float[half.Length];
        for (var i = 0; i < half.Length; i++) vector[i] = (float)half[i];
        return vector;
    }
}
