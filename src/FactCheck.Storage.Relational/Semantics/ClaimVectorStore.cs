using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FactCheck.Core.Semantics;

namespace FactCheck.Storage.Relational.Semantics;

/// <summary>Claim vectors, the embedding queue and the vector feed (<see cref="IClaimVectorStore"/>), in both databases.</summary>
public sealed class ClaimVectorStore(RelationalDatabase database) : IClaimVectorStore
{
    private const string ModelKey = "embedding_model";
    private readonly ConcurrentDictionary<EmbeddingModel, long> modelIds = new();

    public Task<bool> UseModelAsync(EmbeddingModel model, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            // Instances starting together agree on one model row and requeue at most once.
            await session.Dialect.SerializeAsync(session, WriteScope.Vectors, null, cancellationToken);
            var id = await ModelIdAsync(session, model, cancellationToken);
            var current = await session.ScalarAsync("SELECT value FROM installation WHERE key = @key", cancellationToken, ("@key", ModelKey)) as byte[];
            if (current is not null && BinaryPrimitives.ReadInt64LittleEndian(current) == id) return false;
            var value = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(value, id);
            await session.ExecuteAsync(
                "INSERT INTO installation (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                cancellationToken, ("@key", ModelKey), ("@value", value));
            // The first model finds the queue the migration filled; a new one re-embeds every claim.
            if (current is null) return false;
            await session.ExecuteAsync(
                """
                INSERT INTO embedding_queue (claim_seq, claim_version) SELECT seq, version FROM claims WHERE delete_time IS NULL
                ON CONFLICT (claim_seq) DO NOTHING
                """, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<TextToEmbed>> LeaseQueuedAsync(int limit, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<TextToEmbed>>(async session =>
        {
            var leased = await session.QueryAsync(
                $"""
                WITH free AS (
                    SELECT claim_seq AS free_seq FROM embedding_queue WHERE lease_until IS NULL OR lease_until < @now
                    ORDER BY claim_seq LIMIT @limit {session.Dialect.ForUpdateSkipLocked})
                UPDATE embedding_queue SET lease_until = @until FROM free WHERE embedding_queue.claim_seq = free.free_seq
                RETURNING claim_seq, claim_version
                """, row => (Seq: row.Int64(0), Version: row.Int64(1)), cancellationToken,
                ("@now", session.Now()), ("@limit", limit), ("@until", TruncateToMicros(leaseUntil)));
            if (leased.Count == 0) return [];
            var versions = leased.ToDictionary(l => l.Seq, l => l.Version);
            var texts = await session.QueryAsync(
                $"SELECT c.seq, c.id, c.text FROM claims c WHERE {session.Dialect.IsIn("c.seq", "@seqs")} AND c.delete_time IS NULL ORDER BY c.seq",
                row => new TextToEmbed(row.Int64(0), row.String(1), versions[row.Int64(0)], row.String(2)), cancellationToken,
                ("@seqs", versions.Keys.ToArray()));
            return texts;
        }, cancellationToken);

    public async Task<IReadOnlyList<long>> SaveVectorsAsync(EmbeddingModel model, IReadOnlyList<EmbeddedText> vectors, CancellationToken cancellationToken)
    {
        if (vectors.Count == 0) return [];
        return await database.WriteAsync<IReadOnlyList<long>>(async session =>
        {
            var modelId = await ModelIdAsync(session, model, cancellationToken);
            var position = await VectorFeed.LastPositionAsync(session, cancellationToken);
            // Only a claim still queued at the version whose text was embedded gets the vector: one deleted or
            // re-worded since has no entry at that version (and a re-worded one keeps its newer entry).
            var dequeue = session.Batch();
            foreach (var v in vectors)
                dequeue.Add("DELETE FROM embedding_queue WHERE claim_seq = @claim_seq AND claim_version = @version RETURNING claim_seq",
                    ("@claim_seq", v.ClaimKey), ("@version", v.Version));
            var kept = (await dequeue.QueryAsync(row => row.Int64(0), cancellationToken)).ToHashSet();
            var store = session.Batch();
            foreach (var v in vectors.Where(v => kept.Contains(v.ClaimKey)))
                store.Add(
                    """
                    INSERT INTO claim_vectors (claim_seq, position, model_id, vector) VALUES (@claim_seq, @position, @model_id, @vector)
                    ON CONFLICT (claim_seq) DO UPDATE SET position = excluded.position, model_id = excluded.model_id, vector = excluded.vector
                    """, ("@claim_seq", v.ClaimKey), ("@position", ++position), ("@model_id", modelId), ("@vector", VectorFeed.ToBlob(v.Vector)));
            await store.ExecuteAsync(cancellationToken);
            return [.. vectors.Select(v => v.ClaimKey).Where(kept.Contains)];
        }, cancellationToken);
    }

    public async Task<long> CountQueuedAsync(CancellationToken cancellationToken) =>
        Convert.ToInt64(await database.ReadAsync(session => session.ScalarAsync("SELECT count(*) FROM embedding_queue", cancellationToken), cancellationToken));

    public async Task<long> FeedPositionAsync(CancellationToken cancellationToken) =>
        Convert.ToInt64(await database.ReadAsync(session => session.ScalarAsync("SELECT coalesce(max(position), 0) FROM claim_vectors", cancellationToken),
            cancellationToken));

    public async IAsyncEnumerable<VectorChange> ReadVectorsAsync(EmbeddingModel model, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var modelId = await database.WriteAsync(session => ModelIdAsync(session, model, cancellationToken), cancellationToken);
        await foreach (var change in database.StreamAsync("SELECT position, claim_seq, vector FROM claim_vectors WHERE model_id = @model_id AND vector IS NOT NULL",
                           row => new VectorChange(row.Int64(0), row.Int64(1), VectorFeed.FromBlob(row.Bytes(2))), cancellationToken, ("@model_id", modelId)))
            yield return change;
    }

    public async Task<IReadOnlyList<VectorChange>> ReadChangesAsync(EmbeddingModel model, long afterPosition, int limit, CancellationToken cancellationToken)
    {
        var modelId = await database.WriteAsync(session => ModelIdAsync(session, model, cancellationToken), cancellationToken);
        return await database.ReadAsync(session => session.QueryAsync(
            "SELECT position, claim_seq, CASE WHEN model_id = @model_id THEN vector END FROM claim_vectors WHERE position > @after ORDER BY position LIMIT @limit",
            row => new VectorChange(row.Int64(0), row.Int64(1), row.IsNull(2) ? null : VectorFeed.FromBlob(row.Bytes(2))),
            cancellationToken, ("@model_id", modelId), ("@after", afterPosition), ("@limit", limit)), cancellationToken);
    }

    /// <summary>The model's row (added if missing), looked up once per model.</summary>
    private async Task<long> ModelIdAsync(DbSession session, EmbeddingModel model, CancellationToken cancellationToken)
    {
        if (modelIds.TryGetValue(model, out var known)) return known;
        await session.ExecuteAsync("INSERT INTO embedding_models (name, version, dimensions) VALUES (@name, @version, @dimensions) ON CONFLICT DO NOTHING",
            cancellationToken, ("@name", model.Name), ("@version", model.Version), ("@dimensions", model.Dimensions));
        var id = Convert.ToInt64(await session.ScalarAsync("SELECT id FROM embedding_models WHERE name = @name AND version = @version", cancellationToken,
            ("@name", model.Name), ("@version", model.Version)));
        return modelIds[model] = id;
    }
}
