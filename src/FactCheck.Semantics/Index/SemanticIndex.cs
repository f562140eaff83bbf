using System.Diagnostics;
using FactCheck.Core.Events;
using FactCheck.Core.Semantics;
using FactCheck.Core.Storage;
using FactCheck.Semantics.Hosting;

namespace FactCheck.Semantics.Index;

/// <summary>
/// The meaning side of one server instance (<see cref="ISemanticSearch"/>): the sentence model, loaded in the
/// background from the moment this is made, and an in-memory <see cref="BinaryQuantizedIndex"/> of every claim vector
/// of that model in the store, built from one bulk read (<see cref="BuildAsync"/>) and kept current by applying the
/// store's vector feed (<see cref="CatchUpAsync"/>): what this instance's indexer stored, and what other instances on
/// the same database stored or removed. Until it is built, nothing is found by meaning and verification goes by words.
/// After applying changes it publishes <see cref="SemanticIndexChanged"/>, so that no verdict cached before a claim was
/// findable by meaning outlives it, on this instance or any other sharing the cache.
/// </summary>
public sealed class SemanticIndex : ISemanticSearch, IDisposable
{
    private const int ChangesPerRead = 1000;

    private readonly Task<ITextEmbedder> loading;
    private readonly IClaimVectorStore store;
    private readonly IDomainEvents events;
    private readonly SemanticStatistics statistics;
    private readonly Func<IRescoreVectors> rescoreVectors;
    private readonly SemaphoreSlim applying = new(1, 1);
    private readonly TaskCompletionSource built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile BinaryQuantizedIndex? index;
    private IRescoreVectors? vectors;
    private long position;

    /// <param name="model">The model <paramref name="loadEmbedder"/> makes, known before it is loaded.</param>
    /// <param name="rescoreVectors">Where the index keeps its full-precision vectors (<see cref="IRescoreVectors"/>).</param>
    public SemanticIndex(EmbeddingModel model, Func<ITextEmbedder> loadEmbedder, Func<IRescoreVectors> rescoreVectors, IClaimVectorStore store,
        IDomainEvents events, SemanticStatistics statistics)
    {
        Model = model;
        this.rescoreVectors = rescoreVectors;
        this.store = store;
        this.events = events;
        this.statistics = statistics;
        // A few seconds of CPU, off the thread that asked for the first time.
        loading = Task.Run(loadEmbedder);
    }

    public EmbeddingModel Model { get; }

    EmbeddingModel? ISemanticSearch.Model => Model;

    /// <summary>Completes when the index has been built from the store.</summary>
    public Task Built => built.Task;

    public bool IsBuilt => index is not null;

    public int Count => index?.Count ?? 0;

    /// <summary>The feed position applied: every change up to it is in the index.</summary>
    public long Position => Interlocked.Read(ref position);

    /// <summary>The model, once loaded.</summary>
    public Task<ITextEmbedder> EmbedderAsync() => loading;

    public async ValueTask<float[]?> EmbedAsync(string text, CancellationToken cancellationToken) =>
        (await (await loading.WaitAsync(cancellationToken)).EmbedAsync([text], cancellationToken))[0];

    public IReadOnlyList<VectorHit> Nearest(ReadOnlySpan<float> vector, int k) => index?.Search(vector, k) ?? [];

    public float? Cosine(long claimKey, ReadOnlySpan<float> vector) => index?.Cosine(claimKey, vector);

    /// <summary>Builds the index from every stored vector of the model (one streamed read), then starts answering.</summary>
    /// <returns>The number of vectors and how long it took.</returns>
    public async Task<(int Vectors, TimeSpan Took)> BuildAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        vectors = rescoreVectors();
        var fresh = new BinaryQuantizedIndex(Model, vectors);
        long last = 0;
        await foreach (var stored in store.ReadVectorsAsync(Model, cancellationToken))
        {
            fresh.Upsert(stored.ClaimKey, stored.Vector!);
            last = Math.Max(last, stored.Position);
        }
        Interlocked.Exchange(ref position, last);
        index = fresh;
        statistics.IndexHolds(fresh.Count);
        built.TrySetResult();
        // Verdicts cached while verification went by words alone.
        await events.PublishAsync(new SemanticIndexChanged(fresh.Count));
        return (fresh.Count, watch.Elapsed);
    }

    /// <summary>Applies the feed's changes after <see cref="Position"/> (one caller at a time); returns how many.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (index is not { } current) return 0;
        await applying.WaitAsync(cancellationToken);
        try
        {
            var applied = 0;
            while (true)
            {
                var changes = await store.ReadChangesAsync(Model, Position, ChangesPerRead, cancellationToken);
                foreach (var change in changes)
                {
                    if (change.Vector is null) current.Remove(change.ClaimKey);
                    else current.Upsert(change.ClaimKey, change.Vector);
                }
                if (changes.Count > 0) Interlocked.Exchange(ref position, changes[^1].Position);
                applied += changes.Count;
                if (changes.Count < ChangesPerRead) break;
            }
            statistics.IndexHolds(current.Count);
            if (applied > 0) await events.PublishAsync(new SemanticIndexChanged(applied));
            return applied;
        }
        finally { applying.Release(); }
    }

    public void Dispose()
    {
        index?.Dispose();
        (vectors as IDisposable)?.Dispose();
        applying.Dispose();
        if (loading.IsCompletedSuccessfully) (loading.Result as IDisposable)?.Dispose();
    }
}
