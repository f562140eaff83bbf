using System.Diagnostics;
using FactCheck.Semantics.Embedding;

namespace FactCheck.Bench.Semantics;

/// <summary><c>embed</c>: embeds the statements of the first N generated claims into a vector file.</summary>
public static class EmbedCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var claims = args.Int("claims", 20_000);
        var seed = args.Int("seed", 42);
        var speakers = args.Int("speakers", 20_000);
        var output = args.Required("out");
        var batch = Math.Max(1, args.Int("batch", 256));
        args.EnsureAllUsed();

        var generator = new DataGenerator(seed, speakers, claims);
        using var embedder = new MiniLmEmbedder();
        var vectors = new List<float[]>(claims);
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < claims; start += batch)
        {
            var texts = Enumerable.Range(start, Math.Min(batch, claims - start)).Select(generator.TextOf).ToList();
            vectors.AddRange(await embedder.EmbedAsync(texts, CancellationToken.None));
            if ((start / batch) % 10 == 0) Console.Error.WriteLine($"[embed] {vectors.Count:N0}/{claims:N0} ({vectors.Count / watch.Elapsed.TotalSeconds:F0} texts/s)");
        }
        VectorFile.Write(output, vectors);
        Console.WriteLine($"embedded {claims:N0} texts in {watch.Elapsed.TotalSeconds:F0} s ({claims / watch.Elapsed.TotalSeconds:F0} texts/s, {embedder.Model}) -> {output}");
        return 0;
    }
}
