using System.Diagnostics;
using FactCheck.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.Bench;

/// <summary>
/// Where generated records go. The loader hands out work in batches so a bulk RPC can take a whole batch per call;
/// today's implementation (<see cref="PerRecordSink"/>) issues one CreateSpeaker/CreateClaim per record.
/// A bulk <c>ImportClaims</c> sink only has to implement <see cref="CreateClaimsAsync"/> with one call per batch.
/// </summary>
public interface IDataSink
{
    /// <summary>Creates (idempotently) one speaker and returns its resource name.</summary>
    Task<string> CreateSpeakerAsync(Speaker speaker, string requestId, CancellationToken ct);

    /// <summary>Creates (idempotently) a batch of claims; returns how many were accepted.</summary>
    Task<int> CreateClaimsAsync(IReadOnlyList<(Claim Claim, string RequestId)> batch, CancellationToken ct);
}

public sealed class PerRecordSink(GrpcChannel channel) : IDataSink
{
    private readonly SpeakerService.SpeakerServiceClient _speakers = new(channel);
    private readonly ClaimService.ClaimServiceClient _claims = new(channel);

    public async Task<string> CreateSpeakerAsync(Speaker speaker, string requestId, CancellationToken ct)
    {
        var created = await Retry(() => _speakers.CreateSpeakerAsync(
            new CreateSpeakerRequest { Speaker = speaker, RequestId = requestId, Reason = "benchmark data" }, cancellationToken: ct).ResponseAsync, ct);
        return created.Name;
    }

    public async Task<int> CreateClaimsAsync(IReadOnlyList<(Claim Claim, string RequestId)> batch, CancellationToken ct)
    {
        foreach (var (claim, requestId) in batch)
            await Retry(() => _claims.CreateClaimAsync(
                new CreateClaimRequest { Claim = claim, RequestId = requestId, Reason = "benchmark data" }, cancellationToken: ct).ResponseAsync, ct);
        return batch.Count;
    }

    /// <summary>Creates are idempotent (request_id), so transient failures are simply retried.</summary>
    private static async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken ct)
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

public static class GenerateCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var speakers = args.Int("speakers", 2_000);
        var claims = args.Int("claims", 20_000);
        var seed = args.Int("seed", 42);
        var server = args.String("server", "http://127.0.0.1:5000")!;
        var concurrency = Math.Max(1, args.Int("concurrency", Environment.ProcessorCount * 4));
        var connections = Math.Max(1, args.Int("connections", 2));
        var batchSize = Math.Max(1, args.Int("batch", 50));
        var mode = args.String("mode", "per-record")!;
        var apiKey = Channels.ApiKey(args);
        args.EnsureAllUsed();

        var channels = Enumerable.Range(0, connections).Select(_ => Channels.Create(server, apiKey)).ToArray();
        IDataSink[] sinks = mode switch
        {
            "per-record" => channels.Select(c => (IDataSink)new PerRecordSink(c)).ToArray(),
            // "bulk" => channels.Select(c => (IDataSink)new BulkImportSink(c)).ToArray(),  // once ImportClaims exists
            _ => throw new UsageException($"--mode: '{mode}' is not supported (per-record)"),
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
