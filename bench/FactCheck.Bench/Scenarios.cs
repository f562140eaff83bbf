using FactCheck.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FactCheck.Bench;

/// <summary>One benchmark scenario: prepared once (inputs fetched from the server), then one request per call.</summary>
public abstract class Scenario
{
    public abstract string Name { get; }
    public virtual Task PrepareAsync(GrpcChannel channel, Random rng, CancellationToken ct) => Task.CompletedTask;

    /// <summary>A per-caller request function; <paramref name="rng"/> is the caller's own (no sharing on the hot path).</summary>
    public abstract Func<Task> CreateCaller(GrpcChannel channel, Random rng);

    public static Scenario Create(string name, int depth) => name switch
    {
        "get-claim" => new GetClaim(),
        "list-by-speaker-first" => new ListBySpeaker(deep: false, depth),
        "list-by-speaker-deep" => new ListBySpeaker(deep: true, depth),
        "verify" => new Verify(),
        "search" => new Search(),
        "health" => new Health(),
        "empty" => new EmptyHandler(),
        _ => throw new UsageException($"unknown scenario '{name}' (empty, get-claim, list-by-speaker-first, list-by-speaker-deep, verify, search, health)"),
    };

    /// <summary>A sample of stored claims (newest first, up to 1000) to take names, speakers and quotes from.</summary>
    protected static async Task<List<Claim>> SampleClaimsAsync(GrpcChannel channel, CancellationToken ct)
    {
        var client = new ClaimService.ClaimServiceClient(channel);
        var response = await client.ListClaimsAsync(new ListClaimsRequest { PageSize = 1000 }, cancellationToken: ct);
        if (response.Claims.Count == 0) throw new InvalidOperationException("the server has no claims: run `generate` first");
        return response.Claims.ToList();
    }

    private sealed class GetClaim : Scenario
    {
        private string[] names = [];
        public override string Name => "get-claim";

        public override async Task PrepareAsync(GrpcChannel channel, Random rng, CancellationToken ct) =>
            names = (await SampleClaimsAsync(channel, ct)).Select(c => c.Name).ToArray();

        public override Func<Task> CreateCaller(GrpcChannel channel, Random rng)
        {
            var client = new ClaimService.ClaimServiceClient(channel);
            return () => client.GetClaimAsync(new GetClaimRequest { Name = names[rng.Next(names.Length)] }).ResponseAsync;
        }
    }

    private sealed class ListBySpeaker(bool deep, int depth) : Scenario
    {
        private ListClaimsRequest[] requests = [];
        public override string Name => deep ? "list-by-speaker-deep" : "list-by-speaker-first";

        public override async Task PrepareAsync(GrpcChannel channel, Random rng, CancellationToken ct)
        {
            // Speakers weighted by how often they appear among recent claims: the Zipf head dominates, as in real traffic.
            var sample = await SampleClaimsAsync(channel, ct);
            if (!deep)
            {
                requests = sample.Where(c => c.Speaker != "").Select(c => new ListClaimsRequest { Speaker = c.Speaker, PageSize = 50 }).ToArray();
                return;
            }
            // The most prolific speaker; walk its pages down to `depth` (or its last page), then repeat that request.
            var top = sample.Where(c => c.Speaker != "").GroupBy(c => c.Speaker).OrderByDescending(g => g.Count()).First().Key;
            var client = new ClaimService.ClaimServiceClient(channel);
            var request = new ListClaimsRequest { Speaker = top, PageSize = 50 };
            var reached = 0;
            for (var page = 1; page < depth; page++)
            {
                var response = await client.ListClaimsAsync(request, cancellationToken: ct);
                if (response.NextPageToken == "") break;
                request = new ListClaimsRequest { Speaker = top, PageSize = 50, PageToken = response.NextPageToken };
                reached = page;
            }
            Console.WriteLine($"  deep page: {top}, page {reached + 1} (offset {reached * 50})");
            requests = [request];
        }

        public override Func<Task> CreateCaller(GrpcChannel channel, Random rng)
        {
            var client = new ClaimService.ClaimServiceClient(channel);
            return () => client.ListClaimsAsync(requests[rng.Next(requests.Length)]).ResponseAsync;
        }
    }

    private sealed class Verify : Scenario
    {
        private VerifyAttributionRequest[] requests = [];
        public override string Name => "verify";

        public override async Task PrepareAsync(GrpcChannel channel, Random rng, CancellationToken ct)
        {
            var sample = (await SampleClaimsAsync(channel, ct)).Where(c => c.Speaker != "").ToList();
            var speakers = sample.Select(c => c.Speaker).Distinct().ToArray();
            var requests = new List<VerifyAttributionRequest>();
            foreach (var c in sample)
            {
                var roll = rng.NextDouble();
                // 60% exact quote by its speaker, 25% perturbed words, 15% the right words credited to someone else.
                var text = roll < 0.6 || roll >= 0.85 ? c.Text : Perturb(c.Text, rng);
                var speaker = roll >= 0.85 && speakers.Length > 1 ? speakers.Where(s => s != c.Speaker).ElementAt(rng.Next(speakers.Length - 1)) : c.Speaker;
                requests.Add(new VerifyAttributionRequest { Text = text, Speaker = speaker, MaxMatches = 5 });
            }
            // A working set small enough to be cached in full: every request is made once here, so against a server
            // with a cache the measured calls are hits (against one without, every call is computed).
            this.requests = requests.Take(WorkingSet).ToArray();
            var client = new ClaimService.ClaimServiceClient(channel);
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
                async (request, token) => await client.VerifyAttributionAsync(request, cancellationToken: token));
        }

        private const int WorkingSet = 200;

        private static string Perturb(string text, Random rng)
        {
            var words = text.Split(' ').ToList();
            switch (rng.Next(4))
            {
                case 0 when words.Count > 4: words.RemoveAt(rng.Next(1, words.Count - 1)); break;                  // a dropped word
                case 1 when words.Count > 6: return string.Join(' ', words.Take(words.Count / 2)) + " ... " + words[^1]; // an elision
                case 2: return "\u201C" + text.ToUpperInvariant().TrimEnd('.') + "\u201D";                           // case, curly quotes
                default: words[rng.Next(words.Count)] = "really"; break;                                               // a changed word
            }
            return string.Join(' ', words);
        }

        public override Func<Task> CreateCaller(GrpcChannel channel, Random rng)
        {
            var client = new ClaimService.ClaimServiceClient(channel);
            return () => client.VerifyAttributionAsync(requests[rng.Next(requests.Length)]).ResponseAsync;
        }
    }

    internal sealed class Search : Scenario
    {
        private SearchClaimsRequest[] requests = [];
        public override string Name => "search";

        public override async Task PrepareAsync(GrpcChannel channel, Random rng, CancellationToken ct)
        {
            var sample = await SampleClaimsAsync(channel, ct);
            requests = sample.Select(c => new SearchClaimsRequest { Query = QueryFrom(c.Text, rng), PageSize = 10 }).ToArray();
        }

        /// <summary>A search query as the scenario sends it: 2-3 consecutive words of a stored claim ("the ceasefire
        /// proposal", "nuclear talks").</summary>
        public static string QueryFrom(string claimText, Random rng)
        {
            var words = claimText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var n = Math.Min(words.Length, rng.Next(2, 4));
            var start = rng.Next(0, words.Length - n + 1);
            return string.Join(' ', words.Skip(start).Take(n)).Trim('.', ',', ':');
        }

        public override Func<Task> CreateCaller(GrpcChannel channel, Random rng)
        {
            var client = new ClaimService.ClaimServiceClient(channel);
            return () => client.SearchClaimsAsync(requests[rng.Next(requests.Length)]).ResponseAsync;
        }
    }

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>factcheck.bench.v1.BenchmarkService/Empty (server started with Benchmark:Enabled=true): the gRPC
    /// stack's limit in this server process, with no auth, store or cache.</summary>
    private sealed class EmptyHandler : Scenario
    {
        private static readonly Method<byte[], byte[]> Empty = new(MethodType.Unary, "factcheck.bench.v1.BenchmarkService", "Empty", Bytes, Bytes);
        public override string Name => "empty";

        public override async Task PrepareAsync(GrpcChannel channel, Random rng, CancellationToken ct) =>
            await channel.CreateCallInvoker().AsyncUnaryCall(Empty, null, new CallOptions(cancellationToken: ct), []);

        public override Func<Task> CreateCaller(GrpcChannel channel, Random rng)
        {
            var invoker = channel.CreateCallInvoker();
            return () => invoker.AsyncUnaryCall(Empty, null, default, []).ResponseAsync;
        }
    }

    /// <summary>grpc.health.v1.Health/Check (overall status): runs the server's store and cache health checks.</summary>
    private sealed class Health : Scenario
    {
        private static readonly Method<byte[], byte[]> Check = new(MethodType.Unary, "grpc.health.v1.Health", "Check", Bytes, Bytes);
        public override string Name => "health";

        public override async Task PrepareAsync(GrpcChannel channel, Random rng, CancellationToken ct)
        {
            var response = await channel.CreateCallInvoker().AsyncUnaryCall(Check, null, new CallOptions(cancellationToken: ct), []);
            // HealthCheckResponse { status = 1 (SERVING) } is encoded as 08 01.
            if (response is not [0x08, 0x01]) throw new InvalidOperationException("health: server is not SERVING");
        }

        public override Func<Task> CreateCaller(GrpcChannel channel, Random rng)
        {
            var invoker = channel.CreateCallInvoker();
            return () => invoker.AsyncUnaryCall(Check, null, default, []).ResponseAsync;
        }
    }
}
