using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;

namespace FactCheck.Bench;

public sealed record LoadResult(
    string Scenario, int Callers, int Connections, double Seconds, long Requests, long Errors, double RequestsPerSecond,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, long DroppedSamples, Dictionary<string, long> ErrorCodes);

public static class LoadCommand
{
    // A scenario without a single success has NaN percentiles, which JSON only carries as named literals.
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>One caller's samples: latencies in Stopwatch ticks, preallocated; a ring once full (the tail wins).</summary>
    private sealed class Recorder(int capacity)
    {
        public readonly long[] Samples = new long[capacity];
        public long Count;           // successes recorded in the measured window (may exceed capacity)
        public long Errors;
        public readonly Dictionary<StatusCode, long> Codes = new();
    }

    public static async Task<int> RunAsync(Args args)
    {
        var server = args.String("server", "http://127.0.0.1:5000")!;
        var scenarioName = args.Required("scenario");
        var duration = args.Duration("duration", TimeSpan.FromSeconds(10));
        var warmup = args.Duration("warmup", TimeSpan.FromSeconds(3));
        var callers = Math.Max(1, args.Int("callers", 64));
        var connections = Math.Max(1, args.Int("connections", 4));
        var depth = Math.Max(1, args.Int("depth", 20));
        var seed = args.Int("seed", 42);
        var maxSamples = Math.Max(1024, args.Int("max-samples", 4_000_000)); // total across callers
        var resultsFile = args.String("results");
        var label = args.String("label");
        var apiKey = Channels.ApiKey(args);
        args.EnsureAllUsed();

        var scenario = Scenario.Create(scenarioName, depth);
        var channels = Enumerable.Range(0, connections).Select(_ => Channels.Create(server, apiKey)).ToArray();
        try
        {
            using (var prepareCts = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
                await scenario.PrepareAsync(channels[0], new Random(seed), prepareCts.Token);
            foreach (var c in channels) await c.ConnectAsync(); // open every connection before the clock starts

            var capacity = maxSamples / callers;
            var recorders = Enumerable.Range(0, callers).Select(_ => new Recorder(capacity)).ToArray();
            var calls = Enumerable.Range(0, callers).Select(i => scenario.CreateCaller(channels[i % connections], new Random(seed * 7919 + i))).ToArray();

            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            Console.WriteLine($"load: {scenario.Name}, {callers} callers over {connections} connection(s), warmup {warmup.TotalSeconds}s, measuring {duration.TotalSeconds}s");

            var tasks = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
            {
                var rec = recorders[i];
                var call = calls[i];
                var samples = rec.Samples;
                while (true)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    if (t0 >= end) break;
                    try
                    {
                        await call();
                        var t1 = Stopwatch.GetTimestamp();
                        if (t0 >= measureFrom && t1 <= end) samples[rec.Count++ % samples.Length] = t1 - t0;
                    }
                    catch (RpcException e)
                    {
                        if (t0 >= measureFrom)
                        {
                            rec.Errors++;
                            rec.Codes[e.StatusCode] = rec.Codes.GetValueOrDefault(e.StatusCode) + 1;
                        }
                    }
                }
            })).ToArray();
            await Task.WhenAll(tasks);

            var result = Summarize(label ?? scenario.Name, callers, connections, duration.TotalSeconds, recorders);
            Console.WriteLine(
                $"{result.Scenario}: {result.RequestsPerSecond:N0} req/s, p50 {result.P50Ms:F3} ms, p90 {result.P90Ms:F3} ms, p99 {result.P99Ms:F3} ms, " +
                $"max {result.MaxMs:F3} ms, {result.Requests:N0} ok, {result.Errors:N0} errors" +
                (result.ErrorCodes.Count > 0 ? " (" + string.Join(", ", result.ErrorCodes.Select(kv => $"{kv.Key} {kv.Value}")) + ")" : "") +
                (result.DroppedSamples > 0 ? $", {result.DroppedSamples:N0} early samples overwritten" : ""));
            if (resultsFile is not null)
                await File.AppendAllTextAsync(resultsFile, JsonSerializer.Serialize(result, JsonOptions) + "\n");
            return result.Errors > 0 && result.Requests == 0 ? 1 : 0;
        }
        finally
        {
            foreach (var c in channels) c.Dispose();
        }
    }

    private static LoadResult Summarize(string name, int callers, int connections, double seconds, Recorder[] recorders)
    {
        long ok = recorders.Sum(r => r.Count), errors = recorders.Sum(r => r.Errors);
        var kept = new List<long>((int)Math.Min(ok, int.MaxValue));
        long dropped = 0;
        foreach (var r in recorders)
        {
            var n = (int)Math.Min(r.Count, r.Samples.Length);
            dropped += r.Count - n;
            kept.AddRange(r.Samples.AsSpan(0, n).ToArray());
        }
        kept.Sort();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Pct(double p) => kept.Count == 0 ? double.NaN : Ms(kept[Math.Min(kept.Count - 1, (int)Math.Ceiling(p * kept.Count) - 1)]);
        var codes = recorders.SelectMany(r => r.Codes).GroupBy(kv => kv.Key.ToString()).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        return new LoadResult(name, callers, connections, seconds, ok, errors, ok / seconds,
            Pct(0.50), Pct(0.90), Pct(0.99), kept.Count == 0 ? double.NaN : Ms(kept[^1]), dropped, codes);
    }

    /// <summary><c>report --results FILE [--baseline empty]</c>: the markdown table with ratios to the baseline scenario.</summary>
    public static int Report(Args args)
    {
        var file = args.Required("results");
        var baselineName = args.String("baseline", "empty")!;
        args.EnsureAllUsed();
        var results = File.ReadAllLines(file).Where(l => l.Trim() != "").Select(l => JsonSerializer.Deserialize<LoadResult>(l, JsonOptions)!).ToList();
        var baseline = results.LastOrDefault(r => r.Scenario == baselineName);
        static string F(double v, string fmt) => double.IsNaN(v) ? "-" : v.ToString(fmt, CultureInfo.InvariantCulture);
        Console.WriteLine($"| Scenario | Callers / conns | Requests/s | p50 ms | p90 ms | p99 ms | max ms | Errors | Req/s vs {baselineName} | p50 vs {baselineName} |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var rpsRatio = baseline is null || baseline.RequestsPerSecond == 0 ? double.NaN : r.RequestsPerSecond / baseline.RequestsPerSecond;
            var p50Ratio = baseline is null || baseline.P50Ms == 0 ? double.NaN : r.P50Ms / baseline.P50Ms;
            Console.WriteLine($"| `{r.Scenario}` | {r.Callers} / {r.Connections} | {F(r.RequestsPerSecond, "N0")} | {F(r.P50Ms, "F3")} | {F(r.P90Ms, "F3")} | " +
                $"{F(r.P99Ms, "F3")} | {F(r.MaxMs, "F3")} | {r.Errors:N0} | {F(rpsRatio, "F3")}x | {F(p50Ratio, "F1")}x |");
        }
        return 0;
    }
}
