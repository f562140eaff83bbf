using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FactCheck.Core.Semantics;

namespace FactCheck.Semantics.Index;

/// <summary>
/// An exact scan over 1-bit codes with re-ranking (binary quantization, as Qdrant and Weaviate do it): each vector
/// is kept in memory as the signs of its dimensions (48 bytes for 384 dimensions, plus 16 for a coarse copy of the
/// first 128), a query scans every code by
/// Hamming distance (XOR and popcount; over a third of the bits first when the index is large), re-ranks the nearest
/// <see cref="BinaryIndexOptions.ScanCandidates"/> by the query's full vector
/// against the signs (asymmetric distance, 48 table look-ups each), and scores the best
/// <see cref="BinaryIndexOptions.RescoreCandidates"/> exactly against their full vectors from <see cref="IRescoreVectors"/>, which
/// may live outside the process heap (<see cref="FileRescoreVectors"/>).
/// <para>
/// Chosen over an HNSW graph (USearch) by measurement (bench/RESULTS.md, "Vector index"): at a million claims it
/// needs a fraction of the memory (no graph, no full vectors in the heap), is built from stored vectors in seconds
/// instead of minutes (each instance builds its own at start), takes updates and removals without graph repair, and
/// filters exactly; a look-up scans all codes, so its time grows linearly with the number of claims.
/// </para>
/// Thread-safety: readers share a lock, the one writer takes it exclusively.
/// </summary>
/// <summary>How many candidates each stage of <see cref="BinaryQuantizedIndex"/> keeps: more is better recall for more
/// time. The defaults are the measured trade-off of bench/RESULTS.md ("Vector index").</summary>
/// <param name="CoarseCandidates">Beyond this many codes, a coarse pass over each code's first 128 bits keeps this many
/// for the full Hamming distance.</param>
/// <param name="ScanCandidates">Codes nearest by Hamming distance re-ranked by the asymmetric distance.</param>
/// <param name="RescoreCandidates">Best of those scored exactly against their full vectors.</param>
public sealed record BinaryIndexOptions(int CoarseCandidates = 50_000, int ScanCandidates = 5_000, int RescoreCandidates = 500)
{
    public static readonly BinaryIndexOptions Default = new();
}

public sealed class BinaryQuantizedIndex : IVectorIndex, IDisposable
{
    private const int CoarseWords = 2;
    private readonly BinaryIndexOptions options;

    private readonly int words; // 64-bit words per code
    private readonly IRescoreVectors vectors;
    private readonly ReaderWriterLockSlim gate = new();
    private readonly Dictionary<long, int> slots = [];
    private ulong[] codes;
    private ulong[] heads; // each code's first CoarseWords words again, contiguous, for the coarse pass
    private long[] keys;
    private int count;

    public BinaryQuantizedIndex(EmbeddingModel model, IRescoreVectors vectors, int capacity = 1024, BinaryIndexOptions? options = null)
    {
        this.options = options ?? BinaryIndexOptions.Default;
        if (model.Dimensions % 64 != 0) throw new ArgumentException($"{model}: dimensions must be a multiple of 64", nameof(model));
        Model = model;
        this.vectors = vectors;
        words = model.Dimensions / 64;
        codes = new ulong[Math.Max(1, capacity) * words];
        heads = new ulong[Math.Max(1, capacity) * CoarseWords];
        keys = new long[Math.Max(1, capacity)];
    }

    public EmbeddingModel Model { get; }

    public int Count
    {
        get
        {
            gate.EnterReadLock();
            try { return count; }
            finally { gate.ExitReadLock(); }
        }
    }

    /// <summary>Bytes held in the process heap: codes, their heads and keys (the key-to-slot map adds about 24 bytes a claim).</summary>
    public long HeapBytes => ((long)codes.Length + heads.Length) * sizeof(ulong) + (long)keys.Length * sizeof(long);

    /// <summary>Builds an index from stored vectors (e.g. a store's vectors table read in key order).</summary>
    public static async Task<BinaryQuantizedIndex> BuildAsync(EmbeddingModel model, IRescoreVectors vectors, IAsyncEnumerable<StoredVector> stored, CancellationToken cancellationToken)
    {
        var index = new BinaryQuantizedIndex(model, vectors);
        await foreach (var v in stored.WithCancellation(cancellationToken)) index.Upsert(v.ClaimKey, v.Vector);
        return index;
    }

    public void Upsert(long claimKey, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Model.Dimensions) throw new ArgumentException($"a vector of {vector.Length} dimensions for {Model}", nameof(vector));
        gate.EnterWriteLock();
        try
        {
            if (!slots.TryGetValue(claimKey, out var slot))
            {
                slot = count++;
                if (slot == keys.Length) Grow();
                slots[claimKey] = slot;
                keys[slot] = claimKey;
            }
            Quantize(vector, codes.AsSpan(slot * words, words));
            codes.AsSpan(slot * words, CoarseWords).CopyTo(heads.AsSpan(slot * CoarseWords, CoarseWords));
            vectors.Write(slot, vector);
        }
        finally { gate.ExitWriteLock(); }
    }

    public bool Remove(long claimKey)
    {
        gate.EnterWriteLock();
        try
        {
            if (!slots.Remove(claimKey, out var slot)) return false;
            // The last slot moves into the hole, so the scan stays dense.
            var last = --count;
            if (slot != last)
            {
                codes.AsSpan(last * words, words).CopyTo(codes.AsSpan(slot * words, words));
                heads.AsSpan(last * CoarseWords, CoarseWords).CopyTo(heads.AsSpan(slot * CoarseWords, CoarseWords));
                keys[slot] = keys[last];
                slots[keys[slot]] = slot;
                vectors.Move(last, slot);
            }
            return true;
        }
        finally { gate.ExitWriteLock(); }
    }

    public float? Cosine(long claimKey, ReadOnlySpan<float> query)
    {
        if (query.Length != Model.Dimensions) throw new ArgumentException($"a query of {query.Length} dimensions for {Model}", nameof(query));
        Span<float> full = stackalloc float[Model.Dimensions];
        gate.EnterReadLock();
        try
        {
            if (!slots.TryGetValue(claimKey, out var slot)) return null;
            vectors.Read(slot, full);
        }
        finally { gate.ExitReadLock(); }
        return Vectors.Dot(query, full);
    }

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Func<long, bool>? filter = null)
    {
        if (query.Length != Model.Dimensions) throw new ArgumentException($"a query of {query.Length} dimensions for {Model}", nameof(query));
        if (k <= 0) return [];
        Span<ulong> code = stackalloc ulong[words];
        Quantize(query, code);
        var table = SignTable(query);

        gate.EnterReadLock();
        try
        {
            var scanned = Hamming(code, Math.Max(options.ScanCandidates, k), filter);
            var ranked = scanned
                .Select(slot => (Slot: slot, Score: Asymmetric(table, codes.AsSpan(slot * words, words))))
                .OrderByDescending(c => c.Score)
                .Take(Math.Max(options.RescoreCandidates, k));
            var full = new float[Model.Dimensions];
            var hits = new List<VectorHit>();
            foreach (var (slot, _) in ranked)
            {
                vectors.Read(slot, full);
                hits.Add(new VectorHit(keys[slot], Vectors.Dot(query, full)));
            }
            return [.. hits.OrderByDescending(h => h.Cosine).Take(k)];
        }
        finally { gate.ExitReadLock(); }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// The slots of the <paramref name="take"/> codes nearest by Hamming distance. A large index is first narrowed by
    /// the distance over the codes' first <see cref="CoarseWords"/> words (a third of the bits, so a third of the
    /// work) to <see cref="BinaryIndexOptions.CoarseCandidates"/>, which the full distance then ranks.
    /// </summary>
    private List<int> Hamming(ReadOnlySpan<ulong> query, int take, Func<long, bool>? filter)
    {
        if (count <= options.CoarseCandidates || words <= CoarseWords) return Nearest(query, words, null, take, filter);
        var coarse = Nearest(query, CoarseWords, null, Math.Max(options.CoarseCandidates, take), filter);
        return Nearest(query, words, coarse, take, null);
    }

    /// <summary>
    /// The <paramref name="take"/> slots (of <paramref name="among"/>, or of all) nearest by Hamming distance over
    /// each code's first <paramref name="prefix"/> words; ties broken by slot. Distances are small integers, so
    /// instead of a heap: one pass computes every distance and their histogram, the histogram gives the distance at
    /// which <paramref name="take"/> slots are reached, and a second pass collects them.
    /// </summary>
    private List<int> Nearest(ReadOnlySpan<ulong> query, int prefix, List<int>? among, int take, Func<long, bool>? filter)
    {
        var excluded = prefix * 64 + 1;
        var histogram = new int[excluded + 1];
        var n = among?.Count ?? count;
        var distances = System.Buffers.ArrayPool<ushort>.Shared.Rent(n);
        try
        {
            // The coarse pass reads the contiguous heads, a third of the memory of the codes.
            var (source, stride) = prefix == CoarseWords ? (heads, CoarseWords) : (codes, words);
            ref var first = ref MemoryMarshal.GetArrayDataReference(source);
            ref var q = ref MemoryMarshal.GetReference(query);
            for (var i = 0; i < n; i++)
            {
                var slot = among is null ? i : among[i];
                ref var row = ref Unsafe.Add(ref first, slot * stride);
                var distance = 0;
                for (var w = 0; w < prefix; w++) distance += BitOperations.PopCount(Unsafe.Add(ref row, w) ^ Unsafe.Add(ref q, w));
                if (filter is not null && !filter(keys[slot])) distance = excluded;
                distances[i] = (ushort)distance;
                histogram[distance]++;
            }
            var within = 0;
            var reached = 0;
            while (within < excluded && reached + histogram[within] < take) reached += histogram[within++];
            // Every slot nearer than that distance, and as many at it as fill the count.
            var atLimit = take - reached;
            var result = new List<int>(Math.Min(n, take));
            for (var i = 0; i < n; i++)
            {
                var distance = distances[i];
                if (distance < within || (distance == within && within < excluded && atLimit-- > 0)) result.Add(among is null ? i : among[i]);
            }
            return result;
        }
        finally { System.Buffers.ArrayPool<ushort>.Shared.Return(distances); }
    }

    /// <summary>For each byte of a code, the sum of the query's dimensions whose sign bit the byte sets, for every
    /// byte value: the query's dot product with a ±1 code is then 2 × (sum of 48 look-ups) − (sum of the query).</summary>
    private static float[] SignTable(ReadOnlySpan<float> query)
    {
        var bytes = query.Length / 8;
        var table = new float[bytes * 256];
        for (var b = 0; b < bytes; b++)
            for (var value = 1; value < 256; value++)
            {
                var low = value & -value;
                table[b * 256 + value] = table[b * 256 + (value ^ low)] + query[b * 8 + BitOperations.TrailingZeroCount(low)];
            }
        return table;
    }

    // The constant terms of the dot product are the same for every code, so ranking needs only the look-ups.
    private static float Asymmetric(float[] table, ReadOnlySpan<ulong> code)
    {
        var bytes = MemoryMarshal.AsBytes(code);
        var sum = 0f;
        for (var b = 0; b < bytes.Length; b++) sum += table[b * 256 + bytes[b]];
        return sum;
    }

    private static void Quantize(ReadOnlySpan<float> vector, Span<ulong> code)
    {
        code.Clear();
        for (var i = 0; i < vector.Length; i++)
            if (vector[i] > 0) code[i >> 6] |= 1UL << (i & 63);
    }

    private void Grow()
    {
        Array.Resize(ref keys, keys.Length * 2);
        Array.Resize(ref codes, keys.Length * words);
        Array.Resize(ref heads, keys.Length * CoarseWords);
    }
}
