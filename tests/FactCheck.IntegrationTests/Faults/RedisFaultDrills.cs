using FactCheck.IntegrationTests.Caching;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Xunit.Abstractions;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// Redis stalled, killed or cut off under real traffic, with two server processes (<see cref="FaultCluster"/>): no call
/// fails, no read is stale, and both caches are back in use afterwards.
/// </summary>
[Collection(FaultDrills.Name)]
public sealed class RedisFaultDrills(ITestOutputHelper output)
{
    public enum RedisFault { Kill, Stall, PartitionOfA }

    private static readonly TimeSpan FaultLength = TimeSpan.FromSeconds(10);

    /// <summary>Issue 14's scenario: Redis SIGSTOPped for 10 s, every write goes to A meanwhile, B is idle (it sends
    /// Redis nothing, so it cannot notice the stall through traffic), then B is read right after SIGCONT.</summary>
    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AfterARedisStallTheIdleInstanceServesNoStaleRead()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var load = await MixedLoad.SeedAsync(cluster.Servers);
        var speaker = (await cluster.A.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
        var claims = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var created = await cluster.A.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
            load.Checker.Acknowledged(created);
            claims.Add(created.Name);
        }
        // Fill B's caches (Redis and in-process) with the versions about to go stale.
        for (var round = 0; round < 2; round++) await ReadAllAsync(cluster.B, claims, load.Checker, "B before the stall");
        var hitsBefore = (await FaultCluster.StatisticsAsync(cluster.B)).Hits;
        Assert.True(hitsBefore > 0, "B never answered from its cache, so there was nothing to go stale");

        cluster.Redis.Pause();
        long writes = 0;
        using (var stall = new CancellationTokenSource(FaultLength))
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
            {
                for (var i = caller; !stall.IsCancellationRequested; i += 16)
                {
                    var updated = await cluster.A.Claims.UpdateClaimAsync(new UpdateClaimRequest
                    {
                        Claim = new Claim { Name = claims[i % claims.Count], Context = $"written during the stall by caller {caller}" },
                        UpdateMask = new FieldMask { Paths = { "context" } },
                    }, deadline: DateTime.UtcNow.AddSeconds(30));
                    load.Checker.Acknowledged(updated);
                    Interlocked.Increment(ref writes);
                }
            })));
        }
        cluster.Redis.Resume();

        // Read B at once and for a few seconds after, as the issue saw ~1.3 s of stale answers.
        var reads = 0;
        for (var until = DateTime.UtcNow.AddSeconds(3); DateTime.UtcNow < until; reads += claims.Count)
            await ReadAllAsync(cluster.B, claims, load.Checker, "B after the stall");
        await cluster.WaitUntilCachesAreBackAsync(TimeSpan.FromSeconds(30));
        await ReadAllAsync(cluster.B, claims, load.Checker, "B after recovery");
        await ReadAllAsync(cluster.B, claims, load.Checker, "B after recovery");
        var hitsAfter = (await FaultCluster.StatisticsAsync(cluster.B)).Hits;

        var lost = await load.CountLostWritesAsync(cluster.A);

        // Failed calls: none, or the test would have ended with that call's RpcException before here.
        ReliabilityReport.Record(output, "Redis SIGSTOP 10 s, writes to A, B idle", writes + reads, 0, load.Checker.StaleReads.Count, lost,
            $"{writes} writes during the stall, {reads} reads from B after it");
        Assert.Equal(0, lost);
        Assert.True(writes > 0, "no write was acknowledged during the stall");
        Assert.Empty(load.Checker.StaleReads);
        Assert.True(hitsAfter > hitsBefore, $"B's cache was not used again after recovery\n{cluster.Logs}");
    }

    /// <summary>Sixteen callers mixing reads and writes of claims, speakers and reviews on both instances for 22 s,
    /// with a 10 s fault in the middle.</summary>
    [Theory(Timeout = 150_000)]
    [InlineData(RedisFault.Kill)]
    [InlineData(RedisFault.Stall)]
    [InlineData(RedisFault.PartitionOfA)]
    public async Task UnderMixedLoadNoCallFailsAndNoReadIsStale(RedisFault fault)
    {
        await using var cluster = await FaultCluster.StartAsync();
        var load = await MixedLoad.SeedAsync(cluster.Servers);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(16, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(6));
        var callsBefore = load.Calls;
        await InjectAsync(cluster, fault, heal: false);
        await Task.Delay(FaultLength);
        var callsDuring = load.Calls - callsBefore;
        await InjectAsync(cluster, fault, heal: true);
        await Task.Delay(TimeSpan.FromSeconds(6));
        await cluster.WaitUntilCachesAreBackAsync(TimeSpan.FromSeconds(30));
        var hitsBefore = await TotalHitsAsync(cluster);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var hitsAfter = await TotalHitsAsync(cluster);
        await stop.CancelAsync();
        await running;
        var lost = await load.CountLostWritesAsync(cluster.B);

        ReliabilityReport.Record(output, $"Redis {Describe(fault)}, mixed load", load.Calls, load.Failures.Count, load.Checker.StaleReads.Count, lost,
            $"{load.Writes} writes; {callsDuring} calls during the fault");
        Assert.Empty(load.Failures);
        Assert.Equal(0, lost);
        Assert.Empty(load.Checker.StaleReads);
        Assert.True(callsDuring > 0, "no call completed during the fault");
        Assert.True(hitsAfter > hitsBefore, $"the caches were not used after recovery\n{cluster.Logs}");
    }

    private static async Task InjectAsync(FaultCluster cluster, RedisFault fault, bool heal)
    {
        switch (fault, heal)
        {
            case (RedisFault.Kill, false): cluster.Redis.Kill(); break;
            case (RedisFault.Kill, true): await cluster.Redis.RestartAsync(); break;
            case (RedisFault.Stall, false): cluster.Redis.Pause(); break;
            case (RedisFault.Stall, true): cluster.Redis.Resume(); break;
            case (RedisFault.PartitionOfA, false): cluster.ProxyForA.Blackhole(); break;
            case (RedisFault.PartitionOfA, true): cluster.ProxyForA.Heal(); break;
        }
    }

    private static string Describe(RedisFault fault) => fault switch
    {
        RedisFault.Kill => "SIGKILL + restart",
        RedisFault.Stall => "SIGSTOP 10 s",
        _ => "partition of instance A 10 s",
    };

    private static async Task<long> TotalHitsAsync(FaultCluster cluster) =>
        (await FaultCluster.StatisticsAsync(cluster.A)).Hits + (await FaultCluster.StatisticsAsync(cluster.B)).Hits;

    private static async Task ReadAllAsync(ServerProcess server, IReadOnlyList<string> claims, StaleReadChecker checker, string via)
    {
        foreach (var name in claims)
        {
            var floor = checker.Floor(name);
            checker.Check(floor, await server.Claims.GetClaimAsync(new GetClaimRequest { Name = name }, deadline: DateTime.UtcNow.AddSeconds(30)), via);
        }
    }
}
