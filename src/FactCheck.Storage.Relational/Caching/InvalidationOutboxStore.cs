namespace FactCheck.Storage.Relational.Caching;

/// <summary>The cache's invalidation outbox in both databases: one row per write whose invalidation was deferred,
/// its tags joined by newlines (tags never contain one: they are built from ids and fixed names).</summary>
public sealed class InvalidationOutboxStore(RelationalDatabase database) : IInvalidationOutbox
{
    public Task<long> AddAsync(IReadOnlyCollection<string> tags, CancellationToken cancellationToken) =>
        database.WriteAsync(async session => Convert.ToInt64(await session.ScalarAsync(
            "INSERT INTO cache_outbox (tags) VALUES (@tags) RETURNING id", cancellationToken, ("@tags", string.Join('\n', tags)))),
            cancellationToken);

    public async Task<IReadOnlyList<PendingInvalidation>> PendingAsync(int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync("SELECT id, tags FROM cache_outbox ORDER BY id LIMIT @limit",
            row => new PendingInvalidation(row.Int64(0), row.String(1).Split('\n')), cancellationToken, ("@limit", limit)), cancellationToken);

    public Task<bool> IsPendingAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async session => await session.ScalarAsync("SELECT 1 FROM cache_outbox WHERE id = @id", cancellationToken, ("@id", id)) is not null,
            cancellationToken);

    public Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) =>
        database.WriteAsync(session => session.ExecuteAsync($"DELETE FROM cache_outbox WHERE {database.Dialect.IsIn("id", "@ids")}",
            cancellationToken, ("@ids", ids.ToArray())), cancellationToken);
}
