using FactCheck.Core.Storage;
using FactCheck.Semantics.Embedding;
using Microsoft.Extensions.DependencyInjection;

namespace FactCheck.Bench.Semantics;

/// <summary>
/// <c>seed-vectors</c>: stores a MiniLM vector for every claim waiting in the embedding queue of a loaded SQLite
/// bench database, through the store's own vector port as the indexer does, so a server started on it builds its
/// semantic index at once and verification at 1M can be measured without the ~1.5 h of embedding. The vectors come
/// from a file of real ones (<see cref="EmbedCommand"/>); beyond its size they are synthesized as
/// <see cref="IndexCommand"/> does, so a claim's vector is not its text's: the look-up costs what it costs at that
/// size, but which claims it finds is not meaningful.
/// </summary>
public static class SeedVectorsCommand
{
    private const int BatchSize = 5_000;

    public static async Task<int> RunAsync(Args args)
    {
        var database = args.Required("db");
        var file = args.Required("vectors");
        args.EnsureAllUsed();

        var model = MiniLmEmbedder.MiniLm;
        var pool = VectorFile.Read(file, model.Dimensions);
        await using var services = await BenchStore.OpenSqliteAsync(database, indexPath: null);
        var store = services.GetRequiredService<IClaimVectorStore>();
        await store.UseModelAsync(model, CancellationToken.None);
        var queued = await store.CountQueuedAsync(CancellationToken.None);
        var vectors = IndexCommand.Synthesize(pool, (int)queued);
        var stored = 0;
        // Leased for long enough that a leased claim whose vector was not stored (its text changed) is not leased again.
        while (await store.LeaseQueuedAsync(BatchSize, DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None) is { Count: > 0 } batch)
        {
            var embedded = batch.Select(text => new EmbeddedText(text.ClaimKey, text.Version, vectors[stored++ % vectors.Length])).ToList();
            await store.SaveVectorsAsync(model, embedded, CancellationToken.None);
            Console.Error.WriteLine($"[seed-vectors] {stored:N0}/{queued:N0}");
        }
        Console.Error.WriteLine($"[seed-vectors] {stored:N0} vectors ({Math.Min(pool.Length, stored):N0} real, the rest synthesized); "
            + $"{await store.CountQueuedAsync(CancellationToken.None):N0} claims still queued");
        return 0;
    }
}
