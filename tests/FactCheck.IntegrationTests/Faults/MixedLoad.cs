using System.Collections.Concurrent;
using FactCheck.IntegrationTests.Caching;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// Callers that mix reads and writes of claims, speakers and reviews through every instance, each call with a deadline.
/// Every read is checked against the versions already acknowledged (<see cref="StaleReadChecker"/>); every failed call
/// is kept. Each caller owns the claims it writes, so that it knows the version a review (which answers with the review,
/// not the claim) gave its claim, and writes one speaker of its own: unguarded concurrent writers of one row may lose the
/// optimistic retry race (ABORTED, by design), which is not what these drills measure. Reads cover every row.
/// </summary>
internal sealed class MixedLoad
{
    private const int Speakers = 16; // one per caller, at most
    private const int ClaimsPerCaller = 3;
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<ServerProcess> servers;
    private readonly List<string> speakers;
    private readonly List<string> claims = [];
    private readonly ConcurrentQueue<FailedCall> failures = new();
    private long calls;
    private long writes;

    private MixedLoad(IReadOnlyList<ServerProcess> servers, List<string> speakers)
    {
        this.servers = servers;
        this.speakers = speakers;
    }

    public StaleReadChecker Checker { get; } = new();
    public long Calls => Interlocked.Read(ref calls);
    public long Writes => Interlocked.Read(ref writes);
    public IReadOnlyCollection<FailedCall> Failures => failures;

    public static async Task<MixedLoad> SeedAsync(IReadOnlyList<ServerProcess> servers)
    {
        var names = new List<string>();
        for (var i = 0; i < Speakers; i++)
        {
            var speaker = await servers[0].Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() }, deadline: Deadline());
            names.Add(speaker.Name);
        }
        var load = new MixedLoad(servers, names);
        foreach (var speaker in names)
        {
            var found = await servers[0].Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker }, deadline: Deadline());
            load.Checker.Acknowledged(found);
        }
        return load;
    }

    /// <summary>Runs <paramref name="callers"/> callers until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(int callers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() => CallerAsync(caller, stop))));

    private async Task CallerAsync(int caller, CancellationToken stop)
    {
        var random = new Random(caller);
        var owned = new Dictionary<string, long>(); // this caller's claims and their acknowledged versions
        for (var i = 0; i < ClaimsPerCaller; i++) await CreateAsync(random, owned);
        while (!stop.IsCancellationRequested)
        {
            var server = servers[random.Next(servers.Count)];
            var roll = random.Next(100);
            var via = $"{(server == servers[0] ? "A" : "B")}.{Operation(roll)}";
            try
            {
                await (roll switch
                {
                    < 20 => GetClaimAsync(server, random, via),
                    < 30 => BatchGetClaimsAsync(server, random, via),
                    < 38 => ListClaimsAsync(server, random, via),
                    < 44 => GetSpeakerAsync(server, random, via),
                    < 50 => ResolveSpeakerAsync(server, random, via),
                    < 72 => UpdateClaimAsync(server, random, owned),
                    < 80 => ReviewClaimAsync(server, random, owned),
                    < 90 => CreateAsync(random, owned, server),
                    _ => UpdateSpeakerAsync(server, random, speakers[caller % speakers.Count]),
                });
            }
            catch (RpcException e)
            {
                failures.Enqueue(new FailedCall(DateTime.UtcNow, via, e.StatusCode, e.Status.Detail));
            }
            Interlocked.Increment(ref calls);
        }
    }

    private static string Operation(int roll) => roll switch
    {
        < 20 => "GetClaim",
        < 30 => "BatchGetClaims",
        < 38 => "ListClaims",
        < 44 => "GetSpeaker",
        < 50 => "ResolveSpeaker",
        < 72 => "UpdateClaim",
        < 80 => "ReviewClaim",
        < 90 => "CreateClaim",
        _ => "UpdateSpeaker",
    };

    private string RandomClaim(Random random)
    {
        lock (claims) return claims[random.Next(claims.Count)];
    }

    private async Task GetClaimAsync(ServerProcess server, Random random, string via)
    {
        var name = RandomClaim(random);
        var floor = Checker.Floor(name);
        Checker.Check(floor, await server.Claims.GetClaimAsync(new GetClaimRequest { Name = name }, deadline: Deadline()), via);
    }

    private async Task BatchGetClaimsAsync(ServerProcess server, Random random, string via)
    {
        var names = Enumerable.Range(0, 5).Select(_ => RandomClaim(random)).Distinct().ToList();
        var floors = Checker.Floors();
        foreach (var claim in (await server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { names } }, deadline: Deadline())).Claims)
            Checker.Check(floors, claim, via);
    }

    private async Task ListClaimsAsync(ServerProcess server, Random random, string via)
    {
        var floors = Checker.Floors();
        var page = await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speakers[random.Next(speakers.Count)] }, deadline: Deadline());
        foreach (var claim in page.Claims) Checker.Check(floors, claim, via);
    }

    private async Task GetSpeakerAsync(ServerProcess server, Random random, string via)
    {
        var name = speakers[random.Next(speakers.Count)];
        var floor = Checker.Floor(name);
        Checker.Check(floor, await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = name }, deadline: Deadline()), via);
    }

    private async Task ResolveSpeakerAsync(ServerProcess server, Random random, string via)
    {
        var floors = Checker.Floors();
        var name = speakers[random.Next(speakers.Count)];
        var query = (await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = name }, deadline: Deadline())).DisplayName;
        foreach (var candidate in (await server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = query }, deadline: Deadline())).Candidates)
            Checker.Check(floors, candidate.Speaker, via);
    }

    private async Task UpdateClaimAsync(ServerProcess server, Random random, Dictionary<string, long> owned)
    {
        var name = owned.Keys.ElementAt(random.Next(owned.Count));
        var updated = await server.Claims.UpdateClaimAsync(new UpdateClaimRequest
        {
            Claim = new Claim { Name = name, Context = $"context {random.Next()}" },
            UpdateMask = new FieldMask { Paths = { "context" } },
        }, deadline: Deadline());
        Acknowledge(owned, updated);
    }

    private async Task ReviewClaimAsync(ServerProcess server, Random random, Dictionary<string, long> owned)
    {
        var name = owned.Keys.ElementAt(random.Next(owned.Count));
        await server.Claims.ReviewClaimAsync(new ReviewClaimRequest
        {
            Claim = name,
            Review = new Review { Verdict = Review.Types.Verdict.Accurate, Explanation = $"checked against the recording {random.Next()}" },
        }, deadline: Deadline());
        // A review sets the claim's status and bumps its version; only this caller writes this claim.
        owned[name]++;
        Checker.Acknowledged(name, owned[name]);
        Interlocked.Increment(ref writes);
    }

    private async Task CreateAsync(Random random, Dictionary<string, long> owned, ServerProcess? server = null)
    {
        server ??= servers[random.Next(servers.Count)];
        var created = await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speakers[random.Next(speakers.Count)]) },
            deadline: Deadline());
        Acknowledge(owned, created);
        lock (claims) claims.Add(created.Name);
    }

    private async Task UpdateSpeakerAsync(ServerProcess server, Random random, string speaker)
    {
        var updated = await server.Speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest
        {
            Speaker = new Speaker { Name = speaker, Description = $"description {random.Next()}" },
            UpdateMask = new FieldMask { Paths = { "description" } },
        }, deadline: Deadline());
        Checker.Acknowledged(updated);
        Interlocked.Increment(ref writes);
    }

    /// <summary>Acknowledged writes missing at the end: every claim and speaker read back from the store through
    /// <paramref name="server"/>, each must be at least at the version last acknowledged.</summary>
    public async Task<long> CountLostWritesAsync(ServerProcess server)
    {
        long lost = 0;
        foreach (var (name, acknowledged) in Checker.Floors())
        {
            var etag = name.StartsWith("speakers/", StringComparison.Ordinal)
                ? (await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = name }, deadline: Deadline())).Etag
                : (await server.Claims.GetClaimAsync(new GetClaimRequest { Name = name }, deadline: Deadline())).Etag;
            if (StaleReadChecker.Version(etag) < acknowledged) lost++;
        }
        return lost;
    }

    private void Acknowledge(Dictionary<string, long> owned, Claim claim)
    {
        owned[claim.Name] = StaleReadChecker.Version(claim.Etag);
        Checker.Acknowledged(claim);
        Interlocked.Increment(ref writes);
    }

    private static DateTime Deadline() => DateTime.UtcNow + CallDeadline;
}

/// <summary>A call that answered an error, and when the caller saw it.</summary>
internal sealed record FailedCall(DateTime At, string Via, StatusCode Code, string Detail)
{
    public override string ToString() => $"{At:HH:mm:ss.fff} {Via}: {Code} {Detail}";
}
