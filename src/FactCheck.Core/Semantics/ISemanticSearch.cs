namespace FactCheck.Core.Semantics;

/// <summary>
/// What verification and relation suggestion need from the meaning machinery of this process: the query's vector,
/// the claims nearest to it, and the cosine to any claim already indexed. <see cref="LexicalOnly"/> when no model is
/// configured (<c>Semantics:Embedder</c>), and nothing is found while the index is being built: either way, claims
/// are still judged on their words.
/// </summary>
public interface ISemanticSearch
{
    /// <summary>The model queries are embedded with, which made every vector in the index; null without a model.</summary>
    EmbeddingModel? Model { get; }

    /// <summary>The text's unit vector, or null without a model.</summary>
    ValueTask<float[]?> EmbedAsync(string text, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="k"/> indexed claims nearest to the vector, best first.</summary>
    IReadOnlyList<VectorHit> Nearest(ReadOnlySpan<float> vector, int k);

    /// <summary>The cosine of the claim's indexed vector to <paramref name="vector"/>; null when it is not indexed (yet).</summary>
    float? Cosine(long claimKey, ReadOnlySpan<float> vector);
}

/// <summary>No sentence model: verification is on the words alone.</summary>
public sealed class LexicalOnly : ISemanticSearch
{
    public EmbeddingModel? Model => null;

    public ValueTask<float[]?> EmbedAsync(string text, CancellationToken cancellationToken) => ValueTask.FromResult<float[]?>(null);

    public IReadOnlyList<VectorHit> Nearest(ReadOnlySpan<float> vector, int k) => [];

    public float? Cosine(long claimKey, ReadOnlySpan<float> vector) => null;
}
