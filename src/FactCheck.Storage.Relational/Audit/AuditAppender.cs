using FactCheck.Transparency.Merkle;

namespace FactCheck.Storage.Relational.Audit;

/// <summary>Appends events to the hash-chained audit log in the transaction of the change they record.</summary>
public static class AuditAppender
{
    /// <summary>An event of <paramref name="audit"/> not yet sealed: <see cref="AppendAsync(DbSession, IReadOnlyList{AuditEvent}, CancellationToken)"/>
    /// sets its time and its place in the chain.</summary>
    public static AuditEvent Draft<T>(AuditContext audit, string resourceName, T? before, T? after, string? action = null) where T : class => new()
    {
        Id = ResourceNames.NewId(),
        Principal = audit.Principal,
        Action = action ?? audit.Action,
        ResourceName = resourceName,
        Before = before is null ? null : AuditSnapshots.Of(before),
        After = after is null ? null : AuditSnapshots.Of(after),
        Reason = audit.Reason,
        RequestId = audit.RequestId,
    };

    public static Task AppendAsync(DbSession session, AuditEvent draft, CancellationToken cancellationToken) =>
        AppendAsync(session, [draft], cancellationToken);

    /// <summary>
    /// Seals <paramref name="drafts"/> after the last stored event and inserts them, with their leaves in the log's
    /// Merkle tree (<see cref="AuditTree"/>), in the caller's write transaction, which must have made its change already
    /// and must commit right after.
    /// <para>
    /// The chain must not fork however many server instances write: two transactions reading the same last event would
    /// both append "event n+1". So appends are serialized on <see cref="WriteScope.AuditLog"/> right before reading the
    /// last event: SQLite serializes every writer anyway (the write lock in a process, BEGIN IMMEDIATE across
    /// processes); PostgreSQL takes a transaction-level advisory lock, one key for the whole database. The next
    /// appender gets it only once this transaction has committed (or rolled back), and as a write transaction is read
    /// committed, its read of the last event, a new statement, sees this one's events. This serializes all writers
    /// from this point to their commit; that is acceptable, since writes are rare next to reads (which take no part in
    /// it) and the serialized part is short: the reads, the inserts and the commit. Taking it last also keeps it free
    /// of deadlocks: a transaction holding it waits for no other lock. The primary keys on seq and on the tree's idx
    /// back this up: a fork would fail rather than commit. However many events, a batch costs the same statements: one
    /// read of the log's end, one of the tree's frontier, the events' rows (<see cref="DbSession.InsertRowsAsync"/>: binary
    /// COPY on PostgreSQL) and the tree's hashes.
    /// </para>
    /// </summary>
    public static async Task AppendAsync(DbSession session, IReadOnlyList<AuditEvent> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0) return;
        await session.Dialect.SerializeAsync(session, WriteScope.AuditLog, null, cancellationToken);
        var (sequence, previousHash, size) = await AuditTree.ReadHeadAsync(session, cancellationToken);

        // The write's own time, that of the records it changed. Log order is seq: writes that began earlier may commit
        // later, so times are in seq order only per resource (a record's writes are serialized by its version).
        var time = session.Now();
        var rows = new List<(string, object?)[]>(drafts.Count);
        var leaves = new List<Hash>(drafts.Count);
        foreach (var draft in drafts)
        {
            var sealedEvent = AuditChain.Seal(draft with { Time = time }, ++sequence, previousHash);
            previousHash = sealedEvent.Hash;
            rows.Add(AuditEventRows.Parameters(sealedEvent));
            leaves.Add(sealedEvent.ToLeaf().LeafHash());
        }
        await session.InsertRowsAsync("audit_events", rows, cancellationToken);
        var tree = session.Batch();
        await AuditTree.AddLeavesAsync(session, tree, size, leaves, cancellationToken);
        await tree.ExecuteAsync(cancellationToken);
    }
}
