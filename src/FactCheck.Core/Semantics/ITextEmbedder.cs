namespace FactCheck.Core.Semantics;

/// <summary>
/// Which model made a vector. Stored with every vector: vectors of different models (or versions) are not
/// comparable, so a model change means re-embedding.
/// </summary>
/// <param name="Name">The model's name, e.g. "all-MiniLM-L6-v2".</param>
/// <param name="Version">The version of the model's weights and of how text is prepared for it.</param>
/// <param name="Dimensions">The length of every vector it makes.</param>
public sealed record EmbeddingModel(string Name, string Version, int Dimensions)
{
    public override string ToString() => $"{Name}@{Version} ({Dimensions}d)";
}

/// <summary>
/// Turns texts into sentence vectors: unit length, so the dot product of two vectors is their cosine similarity.
/// The in-process model is one implementation; a multilingual model or a remote embedding service can replace it
/// through configuration.
/// </summary>
public interface ITextEmbedder
{
    EmbeddingModel Model { get; }

    /// <summary>One unit vector of <see cref="EmbeddingModel.Dimensions"/> floats per text, in order.</summary>
    ValueTask<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
