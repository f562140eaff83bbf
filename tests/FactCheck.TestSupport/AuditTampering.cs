using FactCheck.Core.Audit;
using FactCheck.Storage.Relational;
using FactCheck.Storage.Relational.Audit;
using FactCheck.Transparency.Merkle;

namespace FactCheck.TestSupport;

/// <summary>
/// What someone with write access to the database can do to the audit log behind the server's back, on either store:
/// edit rows, delete them, or rewrite history and cover it up, re-sealing the hash chain and rebuilding the Merkle tree
/// with the server's own code (as a restart after deleting the tree would), so that the server's own checks pass. Only
/// a client holding an earlier checkpoint can tell.
/// </summary>
public static class AuditTampering
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The columns of audit_events, every one of which the leaf of an event covers.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["seq", "id", "time", "principal", "action", "resource_name", "before", "after", "reason", "request_id", "previous_hash", "hash"];

    /// <summary>Sets one column of event <paramref name="sequence"/> to a different value of its type.</summary>
    public static Task EditColumnAsync(RelationalDatabase database, long sequence, string column) =>
        database.WriteAsync(async session =>
        {
            var e = (await session.QueryAsync($"SELECT {AuditEventRows.Columns} FROM audit_events WHERE seq = @seq", AuditEventRows.Read, None,
                ("@seq", sequence))).Single();
            object value = column switch
            {
                "seq" => sequence + 1000,
                "time" => e.Time.AddMicroseconds(1),
                "previous_hash" or "hash" => Flip(column == "hash" ? e.Hash : e.PreviousHash),
                "before" or "after" or "reason" or "request_id" => $"{{\"edited\":\"{column}\"}}",
                _ => "edited-" + column,
            };
            return await session.ExecuteAsync($"UPDATE audit_events SET {column} = @value WHERE seq = @seq", None, ("@value", value), ("@seq", sequence));
        }, None);

    /// <summary>Deletes event <paramref name="sequence"/> alone, leaving a gap (and the tree as it was).</summary>
    public static Task DeleteEventAsync(RelationalDatabase database, long sequence) =>
        database.WriteAsync(session => session.ExecuteAsync("DELETE FROM audit_events WHERE seq = @seq", None, ("@seq", sequence)), None);

    /// <summary>Deletes the last <paramref name="count"/> events and, unless <paramref name="keepTree"/>, their hashes in
    /// the tree: the log as it stood before them.</summary>
    public static Task TruncateAsync(RelationalDatabase database, int count, bool keepTree = false) =>
        database.WriteAsync(async session =>
        {
            var last = Convert.ToInt64(await session.ScalarAsync("SELECT max(seq) FROM audit_events", None));
            await session.ExecuteAsync("DELETE FROM audit_events WHERE seq > @keep", None, ("@keep", last - count));
            if (!keepTree) await session.ExecuteAsync("DELETE FROM audit_tree WHERE idx >= @from", None, ("@from", MerkleTree.StoredHashCount(last - count)));
            return true;
        }, None);

    /// <summary>
    /// Replaces the events from <paramref name="fromSequence"/> on with <paramref name="rewrite"/>(those events),
    /// renumbered from there and re-sealed into the hash chain, then rebuilds the Merkle tree over the new log as the
    /// server builds it. The chain and the tree then agree with the events: the server's own check passes.
    /// </summary>
    public static async Task RewriteAsync(RelationalDatabase database, long fromSequence, Func<List<AuditEvent>, List<AuditEvent>> rewrite)
    {
        await database.WriteAsync(async session =>
        {
            var previous = await session.QueryAsync("SELECT hash FROM audit_events WHERE seq = @seq", row => row.Bytes(0), None, ("@seq", fromSequence - 1));
            var previousHash = previous.Count > 0 ? previous[0] : AuditChain.Genesis;
            var events = await session.QueryAsync($"SELECT {AuditEventRows.Columns} FROM audit_events WHERE seq >= @from ORDER BY seq",
                AuditEventRows.Read, None, ("@from", fromSequence));
            await session.Batch()
                .Add("DELETE FROM audit_events WHERE seq >= @from", ("@from", fromSequence))
                .Add("DELETE FROM audit_tree")
                .ExecuteAsync(None);
            var sequence = fromSequence;
            var rows = new List<(string, object?)[]>();
            foreach (var e in rewrite(events))
            {
                var resealed = AuditChain.Seal(e, sequence++, previousHash);
                previousHash = resealed.Hash;
                rows.Add(AuditEventRows.Parameters(resealed));
            }
            await session.InsertRowsAsync("audit_events", rows, None);
            return true;
        }, None);
        await AuditTree.CatchUpAsync(database, None);
    }

    /// <summary>Edits event <paramref name="sequence"/>'s principal and re-hashes everything after it.</summary>
    public static Task RewritePrincipalAsync(RelationalDatabase database, long sequence, string principal) =>
        RewriteAsync(database, sequence, events => [events[0] with { Principal = principal }, .. events.Skip(1)]);

    /// <summary>Deletes event <paramref name="sequence"/>, renumbers the ones after it and re-hashes them.</summary>
    public static Task RemoveAndRenumberAsync(RelationalDatabase database, long sequence) =>
        RewriteAsync(database, sequence, events => events.Skip(1).ToList());

    private static byte[] Flip(byte[] bytes)
    {
        var flipped = bytes.ToArray();
        flipped[0] ^= 1;
        return flipped;
    }
}
