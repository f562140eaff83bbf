using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FactCheck.IntegrationTests.Caching;

public sealed class RedisOutageTests
{
    // 40 writes while Redis is down, each trying Redis once (while the breaker probes) and then held for the trust
    // window (~2.2 s) until its invalidation is safe: about 3 s each.
    [Theory(Timeout = 300_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryRpcSucceedsWhileRedisIsDownAndHitsComeBackWhenItReturns(bool localLayer)
    {
        // Not the cluster's generous 5 s: Redis is dead here, and each write would wait that long for it.
        await using var cluster = await CachedCluster.StartAsync(1, $"--Cache:LocalEnabled={localLayer}", "--Cache:OperationTimeout=00:00:01");
        var server = cluster.Servers[0];
        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Dmitry Peskov") })).Name;
        var claim = await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
        await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name });
        await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name });
        Assert.True(CachedCluster.Statistics(server).Hits > 0);

        cluster.Redis.Kill();

        for (var i = 0; i < 20; i++)
        {
            var updated = await server.Claims.UpdateClaimAsync(new UpdateClaimRequest
            {
                Claim = new Claim { Name = claim.Name, Context = $"during the outage, write {i}" },
                UpdateMask = new FieldMask { Paths = { "context" } },
            });
            Assert.Equal(updated, await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }));
            Assert.Contains(updated, (await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims);
            Assert.Equal(updated, (await server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { claim.Name } })).Claims.Single());
            Assert.Equal(speaker, (await server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Peskov" })).Candidates[0].Speaker.Name);
            Assert.Equal(speaker, (await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker })).Name);
            await server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
        }
        Assert.True(CachedCluster.Statistics(server).Degraded, "the cache came back while Redis was down");
        Assert.Equal(HealthStatus.Degraded, (await CacheHealth(server)).Status);

        await cluster.Redis.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (CachedCluster.Statistics(server).Degraded && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.False(CachedCluster.Statistics(server).Degraded, "the cache did not recover after Redis came back");
        Assert.Equal(HealthStatus.Healthy, (await CacheHealth(server)).Status);

        var latest = await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name });
        Assert.Equal("during the outage, write 19", latest.Context);
        var hitsBefore = CachedCluster.Statistics(server).Hits;
        Assert.Equal(latest, await server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }));
        Assert.True(CachedCluster.Statistics(server).Hits > hitsBefore, "no cache hit after Redis came back");
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task TheServerStartsAndServesWhenRedisIsNotThereYet()
    {
        await using var cluster = await CachedCluster.StartAsync(0);
        cluster.Redis.Kill();
        using var directory = new TempDirectory();
        await using var server = await TestServer.StartAsync(directory.File("factcheck.db"),
            $"--ConnectionStrings:Redis={cluster.Redis.ConnectionString}", "--Cache:RetryInterval=00:00:00.200");

        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
        Assert.Equal(speaker, (await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker })).Name);

        await cluster.Redis.RestartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (CachedCluster.Statistics(server).Degraded && DateTime.UtcNow < deadline) await Task.Delay(50);
        await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker });
        await server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker });
        Assert.True(CachedCluster.Statistics(server).Hits > 0);
    }

    private static async Task<HealthReportEntry> CacheHealth(TestServer server) =>
        (await server.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["cache"];
}
