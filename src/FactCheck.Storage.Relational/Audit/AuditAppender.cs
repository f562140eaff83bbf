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
    /// Seals <paramref name="drafts"/> after the last stored event and inserts them, in the caller's write transaction,
    /// which must have made its change already and must commit right after.
    /// <para>
    /// The chain must not fork however many server instances write: two transactions reading the same last event would
    /// both append "event n+1". So appends are serialized on <see cref="WriteScope.AuditLog"/> right before reading the
    /// last event: SQLite serializes every writer anyway (the write lock in a process, BEGIN IMMEDIATE across
    /// processes); PostgreSQL takes a transaction-level advisory lock, one key for the whole database. The next
    /// appender gets it only once this transaction has committed (or rolled back), and as a write transaction is read
    /// committed, its read of the last event, a new statement, sees this one's events. This serializes all writers
    /// from this point to their commit; that is acceptable, since writes are rare next to reads (which take no part in
    /// it) and the serialized part is short: one read, the inserts and the commit. Taking it last also keeps it free
    /// of deadlocks: a transaction holding it waits for no other lock. The primary key on seq backs this up: a fork
    /// would fail rather than commit. The last event is read once, so a batch of events costs one read however long.
    /// </para>
    /// </summary>
    public static async Task AppendAsync(DbSession session, IReadOnlyList<AuditEvent> drafts, CancellationToken cancellationToken)
    {
        await session.Dialect.SerializeAsync(session, WriteScope.AuditLog, null, cancellationToken);
        var last = await session.QueryAsync("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            row => (Sequence: row.Int64(0), Hash: row.Bytes(1)), cancellationToken);
        var (sequence, previousHash) = last.Count > 0 ? last[0] : (0L, AuditChain.Genesis);

        // Taken once serialized, so an instance's events are in time order as well as sequence order.
        var time = session.Now();
        var inserts = session.Batch();
        foreach (var draft in drafts)
        {
            var sealedEvent = AuditChain.Seal(draft with { Time = time }, ++sequence, previousHash);
            previousHash = sealedEvent.Hash;
            inserts.Add(AuditEventRows.Insert, AuditEventRows.Parameters(sealedEvent));
        }
        await inserts.ExecuteAsync(cancellationToken);
    }
}
