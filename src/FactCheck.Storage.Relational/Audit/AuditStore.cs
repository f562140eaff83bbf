using FactCheck.Transparency.Merkle;

namespace FactCheck.Storage.Relational.Audit;

/// <summary>Listing and streaming the audit log and reading its Merkle tree; appends are <see cref="AuditAppender"/>'s, in each
/// change's transaction.</summary>
public sealed class AuditStore(RelationalDatabase database) : IAuditStore
{
    public async Task<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditFilter filter, long afterSequence, int limit,
        CancellationToken cancellationToken)
    {
        var (sql, parameters) = ListQuery(filter, afterSequence, limit);
        return await database.ReadAsync(session => session.QueryAsync(sql, AuditEventRows.Read, cancellationToken, parameters), cancellationToken);
    }

    /// <summary>
    /// The filters that apply, in log order from the cursor. Each of resource, principal and action has an index on
    /// (column, seq), so such a page is one range of it starting at the cursor. Plans (checked by SqliteStoreTests and
    /// PostgresStoreTests): SQLite <c>SEARCH audit_events USING INDEX audit_events_by_resource (resource_name=? AND
    /// seq&gt;?)</c>, and no filter <c>USING INTEGER PRIMARY KEY (rowid&gt;?)</c>; PostgreSQL on 50,000 events, for a
    /// resource or a principal, a Bitmap Index Scan on audit_events_by_resource / _by_principal with <c>Index Cond:
    /// ((resource_name = ...) AND (seq &gt; ...))</c> and a sort of the few matches; for a filter that matches much of
    /// the log, the planner rather walks the primary key in order and stops at the limit.
    /// </summary>
    public static (string Sql, (string, object?)[] Parameters) ListQuery(AuditFilter filter, long afterSequence, int limit)
    {
        var conditions = new List<string> { "seq > @after" };
        var parameters = new List<(string, object?)> { ("@after", afterSequence), ("@limit", limit) };
        void Where(string condition, string name, object value)
        {
            conditions.Add(condition);
            parameters.Add((name, value));
        }

        if (filter.ResourceName is { } resourceName) Where("resource_name = @resource_name", "@resource_name", resourceName);
        if (filter.Principal is { } principal) Where("principal = @principal", "@principal", principal);
        if (filter.Action is { } action) Where("action = @action", "@action", action);
        if (filter.ThroughSequence is { } through) Where("seq <= @through", "@through", through);
        // Stored times are whole microseconds, so rounding both bounds up keeps "time >= From" and "time < To" exact
        // (a bound with ticks below the microsecond would be truncated when sent).
        if (filter.From is { } from) Where("time >= @from", "@from", CeilingToMicros(from));
        if (filter.To is { } to) Where("time < @to", "@to", CeilingToMicros(to));
        return ($"SELECT {AuditEventRows.Columns} FROM audit_events WHERE {string.Join(" AND ", conditions)} ORDER BY seq LIMIT @limit",
            parameters.ToArray());
    }

    /// <remarks>The index on (resource_name, seq), read backwards from the cursor: a resource has few events.</remarks>
    public async Task<IReadOnlyList<AuditEvent>> ListResourceHistoryAsync(string resourceName, DateTimeOffset? atOrBefore, long beforeSequence, int limit,
        CancellationToken cancellationToken)
    {
        // Stored times are whole microseconds: "time <= at" holds for them exactly when it holds for at truncated (a
        // bound sent with ticks below the microsecond would be rounded by PostgreSQL, possibly up).
        var sql = $"SELECT {AuditEventRows.Columns} FROM audit_events WHERE resource_name = @resource_name AND seq < @before" +
                  (atOrBefore is null ? "" : " AND time <= @at") + " ORDER BY seq DESC LIMIT @limit";
        return await database.ReadAsync(session => session.QueryAsync(sql, AuditEventRows.Read, cancellationToken,
            ("@resource_name", resourceName), ("@before", beforeSequence == 0 ? long.MaxValue : beforeSequence),
            ("@at", atOrBefore is { } at ? TruncateToMicros(at) : null), ("@limit", limit)), cancellationToken);
    }

    public Task<AuditLogSize> GetLogSizeAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async session => (await AuditTree.ReadHeadAsync(session, cancellationToken)).Size, cancellationToken);

    public async ValueTask<IReadOnlyList<Hash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken cancellationToken) =>
        await database.ReadAsync(async session => await new AuditTree.StoredHashes(session).ReadHashesAsync(indexes, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<(long Index, Hash Hash)>> ReadStoredHashRangeAsync(long from, long to, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(session => session.QueryAsync("SELECT idx, hash FROM audit_tree WHERE idx >= @from AND idx < @to ORDER BY idx",
            row => (Index: row.Int64(0), Hash: row.Bytes(1)), cancellationToken, ("@from", from), ("@to", to)), cancellationToken);
        // A value that is no hash at all is as good as missing to the check that reads this.
        return rows.Where(row => row.Hash.Length == Hash.Size).Select(row => (row.Index, new Hash(row.Hash))).ToList();
    }

    /// <remarks>One statement (<see cref="RelationalDatabase.StreamAsync"/>), so one consistent snapshot of the log
    /// however long the caller takes: the events committed when it started, which, appends being serialized, are a
    /// gapless prefix of the log.</remarks>
    public IAsyncEnumerable<AuditEvent> ReadAuditLogAsync(CancellationToken cancellationToken) =>
        database.StreamAsync($"SELECT {AuditEventRows.Columns} FROM audit_events ORDER BY seq", AuditEventRows.Read, cancellationToken);

    /// <summary>The first whole microsecond at or after <paramref name="time"/> (TruncateToMicros rounds towards the
    /// epoch, so up already before 1970). In the last microsecond of year 9999 there is none: that microsecond is
    /// the answer (a request may ask up to there; adding a microsecond would throw).</summary>
    private static DateTimeOffset CeilingToMicros(DateTimeOffset time)
    {
        var truncated = TruncateToMicros(time);
        if (truncated >= time || DateTimeOffset.MaxValue.UtcTicks - truncated.UtcTicks < TimeSpan.TicksPerMicrosecond) return truncated;
        return truncated.AddTicks(TimeSpan.TicksPerMicrosecond);
    }
}
