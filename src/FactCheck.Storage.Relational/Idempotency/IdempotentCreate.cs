namespace FactCheck.Storage.Relational.Idempotency;

/// <summary>
/// AIP-155 request ids (<see cref="IdempotencyKey"/>): the idempotency table records which resource each request id
/// created, with the request's fingerprint, in the create's own write transaction.
/// </summary>
public static class IdempotentCreate
{
    /// <summary>
    /// Runs <paramref name="insert"/>, or, for a request id seen before, returns what <paramref name="loadExisting"/>
    /// reads of the resource that request created (resources are never hard-deleted, so it is there), creating
    /// nothing. The request id is recorded first: of two concurrent requests with one id, the second's ON CONFLICT
    /// waits for the first to commit and then finds its row (had the first rolled back, the second would go on and
    /// create). Where writers are serialized whole, the second simply starts after the first committed.
    /// </summary>
    public static async Task<T> RunAsync<T>(DbSession session, string collection, string resourceId, IdempotencyKey? idempotency,
        Func<Task<T>> insert, Func<string, Task<T>> loadExisting, CancellationToken cancellationToken)
    {
        if (idempotency is null || await session.ExecuteAsync(
                """
                INSERT INTO idempotency (request_id, resource_kind, fingerprint, resource_id, create_time)
                VALUES (@request_id, @resource_kind, @fingerprint, @resource_id, @create_time)
                ON CONFLICT (request_id) DO NOTHING
                """, cancellationToken, ("@request_id", idempotency.RequestId), ("@resource_kind", collection),
                ("@fingerprint", idempotency.Fingerprint), ("@resource_id", resourceId), ("@create_time", session.Now())) == 1)
            return await insert();

        // A new statement, so even a read-committed transaction sees the row the conflicting one committed.
        var (earlierCollection, earlierFingerprint, earlierId) = (await session.QueryAsync(
            "SELECT resource_kind, fingerprint, resource_id FROM idempotency WHERE request_id = @request_id",
            row => (row.String(0), row.String(1), row.String(2)), cancellationToken, ("@request_id", idempotency.RequestId))).Single();
        if (earlierCollection != collection || earlierFingerprint != idempotency.Fingerprint)
            throw new AlreadyExistsException($"{earlierCollection}/{earlierId}",
                $"request_id '{idempotency.RequestId}' was already used for a different request");
        return await loadExisting(earlierId);
    }
}
