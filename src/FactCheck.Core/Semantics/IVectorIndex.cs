namespace FactCheck.Core.Semantics;

/// <summary>A claim's vector as stored, keyed by the claim's integer row key in the store (8 bytes, where a
/// 22-character id would cost more than the vector's in-memory code at a million claims).</summary>
public readonly record struct StoredVector(long ClaimKey, float[] Vector);

/// <param name="Cosine">Cosine similarity to the query, from the full-precision vector.</param>
public readonly record struct VectorHit(long ClaimKey, float Cosine);

/// <summary>
/// Nearest claims by meaning, in process. Holds vectors of one <see cref="EmbeddingModel"/>. Thread-safe for any
/// number of concurrent readers with one writer at a time.
/// </summary>
public interface IVectorIndex
{
    EmbeddingModel Model { get; }

    int Count { get; }

    /// <summary>Adds the claim's vector, or replaces it (the claim's text changed, or it was re-embedded).</summary>
    void Upsert(long claimKey, ReadOnlySpan<float> vector);

    /// <summary>False when the claim was not in the index.</summary>
    bool Remove(long claimKey);

    /// <summary>The cosine similarity of the claim's vector to the query, or null when the claim is not in the index.</summary>
    float? Cosine(long claimKey, ReadOnlySpan<float> query);

    /// <summary>Up to <paramref name="k"/> claims nearest to the query, best first.</summary>
    /// <param name="filter">When given, only claims it accepts are returned (e.g. one speaker's).</param>
    IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Func<long, bool>? filter = null);
}
