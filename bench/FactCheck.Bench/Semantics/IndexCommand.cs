using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Cloud.Unum.USearch;
using FactCheck.Core.Semantics;
using FactCheck.Semantics.Embedding;
using FactCheck.Semantics.Index;

namespace FactCheck.Bench.Semantics;

/// <summary>
/// <c>index</c>: measures nearest-neighbour look-ups over embedded bench statements (see <see cref="EmbedCommand"/>)
/// before choosing an index: exact cosine scan (the ground truth), <see cref="BinaryQuantizedIndex"/>, and USearch
/// HNSW with int8 vectors. Sizes beyond the real vectors are synthesized from them by perturbation (each synthetic
/// vector is a real one plus a random share of another real one plus Gaussian noise, renormalized), which keeps the
/// real vectors' distribution of directions but not their exact neighbourhoods: recall on them is indicative.
/// Queries are real vectors left out of the index. Writes a section of bench/RESULTS.md.
/// </summary>
public static class IndexCommand
{
    private const string Start = "<!-- vector-index:start -->";
    private const string End = "<!-- vector-index:end -->";
    private const int K = 10;

    public static async Task<int> RunAsync(Args args)
    {
        var file = args.Required("vectors");
        var queryCount = Math.Max(10, args.Int("queries", 200));
        var sizes = (args.String("sizes", "real,100000,1000000") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var hnswMax = args.Int("hnsw-max", 100_000);
        var output = args.String("out");
        var scratch = args.String("scratch", Path.GetTempPath())!;
        // Stage sizes of the binary index to try: "coarse/scan/rescore,..."; the first is the default.
        var settings = (args.String("binary", "50000/5000/500,20000/2000/100") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Split('/').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray())
            .Select(t => new BinaryIndexOptions(t[0], t[1], t[2])).ToList();
        args.EnsureAllUsed();

        var model = MiniLmEmbedder.MiniLm;
        var real = VectorFile.Read(file, model.Dimensions);
        var queries = real[^queryCount..];
        var pool = real[..^queryCount];
        var rows = new List<string>();
        foreach (var size in sizes)
        {
            var n = size == "real" ? pool.Length : int.Parse(size, CultureInfo.InvariantCulture);
            var data = Synthesize(pool, n);
            Console.Error.WriteLine($"[index] {n:N0} vectors ({(n > pool.Length ? "synthetic" : "real")})");
            var (truth, exactMs) = Exact(data, queries);
            rows.Add(Row("exact cosine scan (float32, 1 thread)", n, pool.Length, null, 1.0, exactMs, (long)n * model.Dimensions * 4, "vectors in heap"));

            var before = Rss();
            var watch = Stopwatch.StartNew();
            using var rescore = new FileRescoreVectors(Path.Combine(scratch, $"factcheck-rescore-{Environment.ProcessId}.f16"), model.Dimensions);
            foreach (var options in settings)
            {
                watch.Restart();
                using var index = new BinaryQuantizedIndex(model, rescore, n, options);
                for (var i = 0; i < n; i++) index.Upsert(i, data[i]);
                var build = watch.Elapsed;
                var (recall, latencies) = Measure(queries, truth, q => index.Search(q, K).Select(h => h.ClaimKey).ToArray());
                rows.Add(Row($"binary codes + asymmetric re-rank + exact rescoring (half floats in a file); stages {options.CoarseCandidates:N0}/{options.ScanCandidates:N0}/{options.RescoreCandidates:N0}", n, pool.Length, build, recall, latencies,
                    index.HeapBytes, $"RSS +{(Rss() - before) / 1048576.0:F0} MiB; rescoring file {(long)n * model.Dimensions * 2 / 1048576.0:F0} MiB in the page cache"));
            }
            GC.Collect();

            if (n <= hnswMax)
            {
                before = Rss();
                watch.Restart();
                using var hnsw = new USearchIndex(MetricKind.Cos, ScalarKind.Int8, (ulong)model.Dimensions, 16, 128, 64, false);
                for (var i = 0; i < n; i++) hnsw.Add((ulong)i, data[i]);
                var build = watch.Elapsed;
                var (recall, latencies) = Measure(queries, truth, q =>
                {
                    hnsw.Search(q, K, out var keys, out _);
                    return keys.Select(k => (long)k).ToArray();
                });
                var grown = Rss() - before;
                rows.Add(Row("USearch HNSW (int8, M=16, ef_add 128, ef_search 64)", n, pool.Length, build, recall, latencies, grown, "native memory (RSS growth)"));
            }
            data = null;
            GC.Collect();
        }

        var sb = new StringBuilder();
        sb.Append(Start).Append('\n').Append("## Vector index (semantic look-up)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Produced by `FactCheck.Bench index --vectors {Path.GetFileName(file)}` on {DateTime.UtcNow:yyyy-MM-dd}: {real.Length:N0} real vectors ({model}) of generated bench statements, ");
        sb.Append(CultureInfo.InvariantCulture, $"{queryCount} of them held out as queries, the rest indexed; larger sizes synthesized from them by perturbation (see `IndexCommand`). ");
        sb.Append("Recall@10 against exact cosine. Look-up times are the CPU time of one look-up on its thread, 1 caller, in process (no gRPC, no embedding ");
        sb.Append("of the query): the two cores were shared with other engineers' builds and tests during the run, so wall-clock times measured the neighbours.\n\n");
        sb.Append("| Index | Vectors | Build s (wall) | Recall@10 | CPU p50 ms | CPU p90 ms | CPU p99 ms | Memory MiB | Notes |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        foreach (var row in rows) sb.Append(row).Append('\n');
        sb.Append(End).Append('\n');
        Console.WriteLine(sb);
        if (output is not null) EvaluateCommand.WriteSection(output, sb.ToString(), Start, End);
        await Task.CompletedTask;
        return 0;
    }

    internal static float[][] Synthesize(float[][] pool, int n)
    {
        if (n <= pool.Length) return pool[..n];
        var rng = new Random(42);
        var data = new float[n][];
        Array.Copy(pool, data, pool.Length);
        for (var s = pool.Length; s < n; s++)
        {
            var a = pool[s % pool.Length];
            var b = pool[rng.Next(pool.Length)];
            var mix = (float)(rng.NextDouble() * 0.3);
            var v = new float[a.Length];
            for (var i = 0; i < v.Length; i++) v[i] = a[i] + mix * b[i] + (float)(Gaussian(rng) * 0.025);
            Vectors.Normalize(v);
            data[s] = v;
        }
        return data;
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>The true top K of every query by a full scan, and how long each scan took.</summary>
    private static (long[][] Truth, double[] Ms) Exact(float[][] data, float[][] queries)
    {
        var truth = new long[queries.Length][];
        var ms = new double[queries.Length];
        for (var q = 0; q < queries.Length; q++)
        {
            var start = ThreadCpuMs();
            var heap = new PriorityQueue<long, float>(K + 1);
            for (var i = 0; i < data.Length; i++)
            {
                var score = Vectors.Dot(queries[q], data[i]);
                if (heap.Count < K) heap.Enqueue(i, score);
                else if (heap.TryPeek(out _, out var worst) && score > worst) { heap.Dequeue(); heap.Enqueue(i, score); }
            }
            ms[q] = ThreadCpuMs() - start;
            truth[q] = [.. heap.UnorderedItems.Select(x => x.Element)];
        }
        return (truth, ms);
    }

    /// <summary>Recall@K, and the CPU time of each look-up on its thread (see <see cref="ThreadCpuMs"/>).</summary>
    private static (double Recall, double[] Ms) Measure(float[][] queries, long[][] truth, Func<float[], long[]> search)
    {
        for (var q = 0; q < Math.Min(10, queries.Length); q++) search(queries[q]); // warm-up
        var ms = new double[queries.Length];
        double found = 0;
        for (var q = 0; q < queries.Length; q++)
        {
            var start = ThreadCpuMs();
            var hits = search(queries[q]);
            ms[q] = ThreadCpuMs() - start;
            found += hits.Intersect(truth[q]).Count();
        }
        return (found / (queries.Length * K), ms);
    }

    /// <summary>
    /// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID). The cores are shared with other work while this runs,
    /// so wall-clock times would measure the neighbours; a single-threaded look-up's CPU time is what it takes on an
    /// idle core (its memory stalls included).
    /// </summary>
    private static double ThreadCpuMs()
    {
        if (ClockGetTime(3, out var ts) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return ts.Seconds * 1e3 + ts.Nanoseconds / 1e6;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static string Row(string name, int n, int real, TimeSpan? build, double recall, double[] ms, long bytes, string notes)
    {
        Array.Sort(ms);
        double P(double p) => ms[Math.Min(ms.Length - 1, (int)(p * ms.Length))];
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {n:N0}{(n > real ? " (synthetic)" : "")} | {(build is null ? "-" : build.Value.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture))} | {recall:F3} | {P(0.5):F2} | {P(0.9):F2} | {P(0.99):F2} | {bytes / 1048576.0:F0} | {notes} |");
    }

    private static long Rss()
    {
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
