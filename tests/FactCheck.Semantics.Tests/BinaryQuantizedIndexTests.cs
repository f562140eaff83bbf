using FactCheck.Core.Semantics;
using FactCheck.Semantics.Index;

namespace FactCheck.Semantics.Tests;

public sealed class BinaryQuantizedIndexTests : IDisposable
{
    private const int Timeout = 60_000;
    private static readonly EmbeddingModel Model = new("test", "1", 384);
    private readonly string scratch = Path.Combine(Path.GetTempPath(), $"factcheck-index-test-{Guid.NewGuid():N}.f16");

    private static float[] RandomUnit(Random rng)
    {
        var v = new float[Model.Dimensions];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        Vectors.Normalize(v);
        return v;
    }

    /// <summary>A vector close to <paramref name="v"/>: cosine about 0.9.</summary>
    private static float[] Near(float[] v, Random rng, double noise = 0.025)
    {
        var n = new float[v.Length];
        for (var i = 0; i < v.Length; i++) n[i] = v[i] + (float)((rng.NextDouble() * 2 - 1) * noise * 1.7);
        Vectors.Normalize(n);
        return n;
    }

    [Fact(Timeout = Timeout)]
    public Task SearchFindsTheExactNearestNeighboursWithExactCosines() => Task.Run(() =>
    {
        var rng = new Random(1);
        var data = Enumerable.Range(0, 5_000).Select(_ => RandomUnit(rng)).ToArray();
        using var index = new BinaryQuantizedIndex(Model, new HeapRescoreVectors(Model.Dimensions));
        for (var i = 0; i < data.Length; i++) index.Upsert(i * 10L, data[i]);

        double found = 0;
        for (var q = 0; q < 50; q++)
        {
            var query = Near(data[q * 37], rng);
            var truth = data.Select((v, i) => (Key: i * 10L, Cosine: Vectors.Cosine(query, v))).OrderByDescending(x => x.Cosine).Take(10).ToList();
            var hits = index.Search(query, 10);
            Assert.Equal(truth[0].Key, hits[0].ClaimKey);
            Assert.Equal(truth[0].Cosine, hits[0].Cosine, 4);
            found += hits.Select(h => h.ClaimKey).Intersect(truth.Select(t => t.Key)).Count();
        }
        Assert.True(found / 500 >= 0.9, $"recall@10 {found / 500}");
    });

    [Fact(Timeout = Timeout)]
    public Task ALargeIndexNarrowedByItsCoarsePassStillFindsTheNearest() => Task.Run(() =>
    {
        var rng = new Random(5);
        var count = BinaryIndexOptions.Default.CoarseCandidates + 10_000;
        using var index = new BinaryQuantizedIndex(Model, new HeapRescoreVectors(Model.Dimensions), count);
        var planted = new Dictionary<long, float[]>();
        for (var i = 0; i < count; i++)
        {
            var v = RandomUnit(rng);
            if (i % 1_000 == 0) planted[i] = v;
            index.Upsert(i, v);
        }
        Assert.All(planted, p => Assert.Equal(p.Key, index.Search(Near(p.Value, rng), 1)[0].ClaimKey));
        Assert.All(planted, p => Assert.Equal(p.Key, index.Search(Near(p.Value, rng), 1, key => key == p.Key)[0].ClaimKey));
    });

    [Fact(Timeout = Timeout)]
    public Task UpsertReplacesRemoveForgetsAndTheFilterIsExact() => Task.Run(() =>
    {
        var rng = new Random(2);
        var a = RandomUnit(rng);
        var b = RandomUnit(rng);
        using var rescore = new FileRescoreVectors(scratch, Model.Dimensions);
        using var index = new BinaryQuantizedIndex(Model, rescore, capacity: 1);
        index.Upsert(1, a);
        index.Upsert(2, b);
        index.Upsert(3, Near(a, rng));
        Assert.Equal(3, index.Count);
        Assert.Equal([1L, 3L], index.Search(a, 2).Select(h => h.ClaimKey));
        Assert.Equal(1.0f, index.Search(a, 1)[0].Cosine, 2); // half precision in the file

        index.Upsert(1, b); // the claim's text changed
        Assert.Equal(3, index.Count);
        Assert.Equal(3L, index.Search(a, 1)[0].ClaimKey);
        Assert.Equal([2L], index.Search(b, 3, key => key % 2 == 0).Select(h => h.ClaimKey));

        Assert.True(index.Remove(3));
        Assert.False(index.Remove(3));
        Assert.Equal(2, index.Count);
        Assert.DoesNotContain(3L, index.Search(a, 10).Select(h => h.ClaimKey));
        Assert.Equal(1L, index.Search(b, 1, key => key == 1)[0].ClaimKey); // moved into the removed slot's place or not, still found
    });

    [Fact(Timeout = Timeout)]
    public async Task ItIsBuiltFromAStreamOfStoredVectors()
    {
        var rng = new Random(3);
        var stored = Enumerable.Range(0, 100).Select(i => new StoredVector(i, RandomUnit(rng))).ToList();
        using var index = await BinaryQuantizedIndex.BuildAsync(Model, new HeapRescoreVectors(Model.Dimensions), stored.ToAsyncEnumerable(), CancellationToken.None);
        Assert.Equal(100, index.Count);
        Assert.Equal(42L, index.Search(stored[42].Vector, 1)[0].ClaimKey);
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadersSearchWhileOneWriterChangesTheIndex()
    {
        var rng = new Random(4);
        var data = Enumerable.Range(0, 2_000).Select(_ => RandomUnit(rng)).ToArray();
        using var index = new BinaryQuantizedIndex(Model, new HeapRescoreVectors(Model.Dimensions));
        for (var i = 0; i < 1_000; i++) index.Upsert(i, data[i]);

        using var stop = new CancellationTokenSource();
        var searched = new int[3];
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Key 0 is never touched by the writer, so it must always be found for its own vector.
                Assert.Equal(0L, index.Search(data[0], 1)[0].ClaimKey);
                Interlocked.Increment(ref searched[r]);
            }
        })).ToList();
        while (Enumerable.Range(0, searched.Length).Any(r => Volatile.Read(ref searched[r]) == 0)) await Task.Delay(1);
        for (var i = 1_000; i < 2_000; i++)
        {
            index.Upsert(i, data[i]);
            if (i % 3 == 0) index.Remove(i - 500);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(2_000 - 333, index.Count);
    }

    [Fact(Timeout = Timeout)]
    public Task VectorsOfAnotherSizeAreRefused() => Task.Run(() =>
    {
        using var index = new BinaryQuantizedIndex(Model, new HeapRescoreVectors(Model.Dimensions));
        Assert.Throws<ArgumentException>(() => index.Upsert(1, new float[10]));
        Assert.Throws<ArgumentException>(() => index.Search(new float[10], 1));
    });

    public void Dispose() => File.Delete(scratch);
}
