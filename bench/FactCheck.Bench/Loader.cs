using System.Diagnostics;
using FactCheck.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.Bench;

/// <summary>
/// Where generated records go. The loader hands out claims in batches: <see cref="BulkImportSink"/> sends each as one
/// ImportClaims batch, <see cref="PerRecordSink"/> as one CreateClaim per claim (the rate a client gets without the
/// bulk RPC). Speakers are created one by one either way.
/// </summary>
public interface IDataSink
{
    /// <summary>Creates (idempotently) one speaker and returns its resource name.</summary>
    Task<string> CreateSpeakerAsync(Speaker speaker, string requestId, CancellationToken ct);

    /// <summary>Creates (idempotently) a batch of claims; returns how many were accepted.</summary>
    Task<int> CreateClaimsAsync(IReadOnlyList<(Claim Claim, string RequestId)> batch, CancellationToken ct);
}

public class PerRecordSink(GrpcChannel channel) : IDataSink
{
    private readonly SpeakerService.SpeakerServiceClient speakers = new(channel);
    protected ClaimService.ClaimServiceClient Claims { get; } = new(channel);

    public async Task<string> CreateSpeakerAsync(Speaker speaker, string requestId, CancellationToken ct)
    {
        var created = await Retry(() => speakers.CreateSpeakerAsync(
            new CreateSpeakerRequest { Speaker = speaker, RequestId = requestId, Reason = "benchmark data" }, cancellationToken: ct).ResponseAsync, ct);
        return created.Name;
    }

    public virtual async Task<int> CreateClaimsAsync(IReadOnlyList<(Claim Claim, string RequestId)> batch, CancellationToken ct)
    {
        foreach (var (claim, requestId) in batch)
            await Retry(() => Claims.CreateClaimAsync(
                new CreateClaimRequest { Claim = claim, RequestId = requestId, Reason = "benchmark data" }, cancellationToken: ct).ResponseAsync, ct);
        return batch.Count;
    }

    /// <summary>Creates are idempotent (request_id), so transient failures are simply retried.</summary>
    protected static async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await call(); }
            catch (RpcException e) when (attempt < 5 && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.ResourceExhausted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }
}

/// <summary>One ImportClaims call per batch, its request id derived from the batch's first claim's, so a rerun skips
/// the batches already stored.</summary>
public sealed class BulkImportSink(GrpcChannel channel) : PerRecordSink(channel)
{
    public override async Task<int> CreateClaimsAsync(IReadOnlyList<(Claim Claim, string RequestId)> batch, CancellationToken ct)
    {
        var request = new ImportClaimsRequest { RequestId = $"{batch[0].RequestId}+{batch.Count}", Reason = "benchmark data" };
        request.Claims.AddRange(batch.Select(b => b.Claim));
        await Retry(async () =>
        {
            using var call = Claims.ImportClaims(cancellationToken: ct);
            await call.RequestStream.WriteAsync(request, ct);
            await call.RequestStream.CompleteAsync();
            return await call.ResponseAsync;
        }, ct);
        return batch.Count; // stored now, or by an earlier run (then skipped as a replay)
    }
}

public static class GenerateCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var speakers = args.Int("speakers", 2_000);
        var claims = args.Int("claims", 20_000);
        var seed = args.Int("seed", 42);
        var server = args.String("server", "http://127.0.0.1:5000")!;
        var mode = args.String("mode", "bulk")!;
        var concurrency = Math.Max(1, args.Int("concurrency", Environment.ProcessorCount * 4));
        var connections = Math.Max(1, args.Int("connections", 2));
        var batchSize = Math.Max(1, args.Int("batch", mode == "bulk" ? 2500 : 50));
        var apiKey = Channels.ApiKey(args);
        args.EnsureAllUsed();

        var channels = Enumerable.Range(0, connections).Select(_ => Channels.Create(server, apiKey)).ToArray();
        IDataSink[] sinks = mode switch
        {
            "bulk" => channels.Select(c => (IDataSink)new BulkImportSink(c)).ToArray(),
            "per-record" => channels.Select(c => new PerRecordSink(c)).ToArray(),
            _ => throw new UsageException($"--mode: '{mode}' is not supported (bulk, per-record)"),
        };

        var gen = new DataGenerator(seed, speakers, claims);
        Console.WriteLine($"generate: {speakers:N0} speakers, {claims:N0} claims, seed {seed}, {concurrency} callers over {connections} connection(s), mode {mode}");

        // Speakers first: claims refer to them by resource name (stable across reruns thanks to request ids).
        var speakerNames = new string[speakers];
        var sw = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var sink = sinks[w % sinks.Length];
            int i;
            while ((i = Interlocked.Increment(ref next)) < speakers)
                speakerNames[i] = await sink.CreateSpeakerAsync(gen.Speaker(i), gen.SpeakerRequestId(i), CancellationToken.None);
        })));
        var speakerSeconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"speakers: {speakers:N0} in {speakerSeconds:F1}s ({speakers / speakerSeconds:N0}/s)");

        sw.Restart();
        var nextBatch = -1;
        long done = 0;
        using var progress = new Timer(_ =>
        {
            var d = Interlocked.Read(ref done);
            Console.WriteLine($"  claims: {d:N0}/{claims:N0} ({d / sw.Elapsed.TotalSeconds:N0}/s)");
        }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        var batches = (claims + batchSize - 1) / batchSize;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var sink = sinks[w % sinks.Length];
            var batch = new List<(Claim, string)>(batchSize);
            int b;
            while ((b = Interlocked.Increment(ref nextBatch)) < batches)
            {
                batch.Clear();
                for (var j = b * batchSize; j < Math.Min(claims, (b + 1) * batchSize); j++)
                    batch.Add((gen.Claim(j, speakerNames), gen.ClaimRequestId(j)));
                Interlocked.Add(ref done, await sink.CreateClaimsAsync(batch, CancellationToken.None));
            }
        })));
        var claimSeconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"claims: {claims:N0} in {claimSeconds:F1}s ({claims / claimSeconds:N0} claims/s)");
        foreach (var c in channels) c.Dispose();
        return 0;
    }
}
