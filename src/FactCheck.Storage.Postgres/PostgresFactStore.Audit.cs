using System.Runtime.CompilerServices;
using FactCheck.Core;
using FactCheck.Core.Audit;
using Npgsql;
using static FactCheck.Core.Storage.StoredValues;
using static FactCheck.Storage.Postgres.PostgresCommands;
using static FactCheck.Storage.Postgres.Rows;

namespace FactCheck.Storage.Postgres;

/// <summary>The audit log: appending in the transaction of each change, listing and streaming it.</summary>
public sealed partial class PostgresFactStore
{
    public async Task<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditFilter filter, long afterSequence, int limit,
        CancellationToken cancellationToken)
    {
        var (sql, parameters) = ListAuditEventsQuery(filter, afterSequence, limit);
        return await ReadAsync(async connection =>
        {
            await using var command = connection.Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var events = new List<AuditEvent>();
            while (await reader.ReadAsync(cancellationToken)) events.Add(ReadAuditEvent(reader));
            return events;
        }, cancellationToken);
    }

    /// <summary>
    /// The filters that apply, in log order from the cursor. A resource, principal or action filter is a range of its
    /// (column, seq) index starting at the cursor. EXPLAIN on 50,000 events (checked by PostgresStoreTests): for a
    /// resource or a principal, a Bitmap Index Scan on audit_events_by_resource / _by_principal with
    /// <c>Index Cond: ((resource_name = ...) AND (seq &gt; ...))</c> and a sort of the few matches; for a filter that
    /// matches much of the log, the planner rather walks the primary key in order and stops at the limit.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) ListAuditEventsQuery(AuditFilter filter, long afterSequence, int limit)
    {
        var conditions = new List<string> { "seq > @after" };
        var parameters = new List<(string, object?)> { ("after", afterSequence), ("limit", limit) };
        void Where(string condition, string name, object value)
        {
            conditions.Add(condition);
            parameters.Add((name, value));
        }

        if (filter.ResourceName is { } resourceName) Where("resource_name = @resource_name", "resource_name", resourceName);
        if (filter.Principal is { } principal) Where("principal = @principal", "principal", principal);
        if (filter.Action is { } action) Where("action = @action", "action", action);
        // Stored times are whole microseconds, so rounding both bounds up keeps "time >= From" and "time < To" exact
        // (a bound with ticks below the microsecond would be truncated when sent).
        if (filter.From is { } from) Where("time >= @from", "from", CeilingToMicros(from));
        if (filter.To is { } to) Where("time < @to", "to", CeilingToMicros(to));
        return ($"SELECT {AuditEventColumns} FROM audit_events WHERE {string.Join(" AND ", conditions)} ORDER BY seq LIMIT @limit",
            parameters.ToArray());
    }

    /// <summary>
    /// One query, its rows read off the connection as the caller consumes them (Npgsql does not buffer a result
    /// set), so a log of any length streams in constant memory. A single statement sees one snapshot: the events
    /// committed when it started, which, appends being serialized, are a gapless prefix of the log.
    /// </summary>
    public async IAsyncEnumerable<AuditEvent> ReadAuditLogAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {AuditEventColumns} FROM audit_events ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return ReadAuditEvent(reader);
    }

    /// <summary>The first whole microsecond at or after <paramref name="time"/> (TruncateToMicros rounds towards the
    /// epoch, so up already before 1970).</summary>
    private static DateTimeOffset CeilingToMicros(DateTimeOffset time)
    {
        var truncated = TruncateToMicros(time);
        return truncated >= time ? truncated : truncated.AddTicks(TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>An event of <paramref name="audit"/> not yet sealed: <see cref="AppendAuditAsync"/> sets its time and
    /// place in the chain.</summary>
    private static AuditEvent Draft<T>(AuditContext audit, string action, string resourceName, T? before, T? after) where T : class => new()
    {
        Id = ResourceNames.NewId(),
        Principal = audit.Principal,
        Action = action,
        ResourceName = resourceName,
        Before = before is null ? null : AuditSnapshots.Of(before),
        After = after is null ? null : AuditSnapshots.Of(after),
        Reason = audit.Reason,
        RequestId = audit.RequestId,
    };

    /// <summary>
    /// Seals <paramref name="drafts"/> after the last stored event and inserts them, in the caller's transaction, which
    /// must have made its change already and must commit right after: the lock taken here is held to the end of the
    /// transaction.
    /// <para>
    /// The chain must not fork however many server instances write: two transactions reading the same last event would
    /// both append "event n+1". So appends are serialized by a transaction-level advisory lock (one key for the whole
    /// database) taken right before reading the last event. The next appender gets the lock only once this transaction
    /// has committed (or rolled back), and as a write transaction is read committed, its read of the last event, a new
    /// statement, sees this one's events. This serializes all writers from this point to their commit; that is
    /// acceptable, since writes are rare next to reads (which take no part in it) and the serialized part is short:
    /// one read, one batch of inserts and the commit. Taking it last also keeps it free of deadlocks: a transaction
    /// holding it waits for no other lock. The primary key on seq backs this up: a fork would fail rather than commit.
    /// </para>
    /// </summary>
    private async Task AppendAuditAsync(NpgsqlConnection connection, IReadOnlyList<AuditEvent> drafts, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@class, 0)", cancellationToken, ("class", (int)AdvisoryLocks.AuditLog));
        var (sequence, previousHash) = (0L, AuditChain.Genesis);
        await using (var command = connection.Command("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            if (await reader.ReadAsync(cancellationToken)) (sequence, previousHash) = (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));

        // Taken under the lock, so an instance's events are in time order as well as sequence order.
        var time = Now();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var draft in drafts)
        {
            var sealedEvent = AuditChain.Seal(draft with { Time = time }, ++sequence, previousHash);
            previousHash = sealedEvent.Hash;
            batch.BatchCommands.Add(BatchCommand(
                """
                INSERT INTO audit_events (seq, id, time, principal, action, resource_name, before, after, reason, request_id, previous_hash, hash)
                VALUES (@seq, @id, @time, @principal, @action, @resource_name, @before, @after, @reason, @request_id, @previous_hash, @hash)
                """, AuditEventParameters(sealedEvent)));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
