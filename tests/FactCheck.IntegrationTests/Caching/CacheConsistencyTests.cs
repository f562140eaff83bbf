using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.IntegrationTests.Caching;

public sealed class CacheConsistencyTests
{
    private const int Claims = 4;
    private const int Writers = 4;
    private const int Readers = 8;
    private const int Writes = 2000;

    /// <summary>
    /// Two server instances share Redis and a database. Writers update the same few claims through either instance
    /// while readers read them through either instance (GetClaim, BatchGetClaims, the cached first page of
    /// ListClaims). The etag is the stored version, so a reader that starts after an update was acknowledged must
    /// see at least that version.
    /// </summary>
    [Theory(Timeout = TestTimeouts.Server)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NoReaderSeesAnOlderVersionThanOneAlreadyAcknowledged(bool localLayer)
    {
        await using var cluster = await CachedCluster.StartAsync(2, $"--Cache:LocalEnabled={localLayer}", "--Storage:Sqlite:SynchronousFull=false");
        var servers = cluster.Servers;
        var speaker = (await servers[0].Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker() })).Name;
        var names = new string[Claims];
        var checker = new StaleReadChecker();
        for (var i = 0; i < Claims; i++)
        {
            var claim = await servers[0].Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
            names[i] = claim.Name;
            checker.Acknowledged(claim);
        }

        var writesLeft = Writes;
        var reads = 0;

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref writesLeft) >= 0)
            {
                var i = Random.Shared.Next(Claims);
                var server = servers[Random.Shared.Next(servers.Count)];
                checker.Acknowledged(await server.Claims.UpdateClaimAsync(new UpdateClaimRequest
                {
                    Claim = new Claim { Name = names[i], Context = $"writer {w}" },
                    UpdateMask = new FieldMask { Paths = { "context" } },
                }));
            }
        })).ToList();

        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            while (Volatile.Read(ref writesLeft) > 0)
            {
                var server = servers[Random.Shared.Next(servers.Count)];
                var before = checker.Floors();
                switch (r % 3)
                {
                    case 0:
                        var name = names[Random.Shared.Next(Claims)];
                        checker.Check(before, await server.Claims.GetClaimAsync(new GetClaimRequest { Name = name }), "GetClaim");
                        break;
                    case 1:
                        foreach (var claim in (await server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { names } })).Claims)
                            checker.Check(before, claim, "BatchGetClaims");
                        break;
                    default:
                        foreach (var claim in (await server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims)
                            checker.Check(before, claim, "ListClaims");
                        break;
                }
                Interlocked.Increment(ref reads);
            }
        })).ToList();

        await Task.WhenAll(writers.Concat(readers));

        Assert.True(reads > Writes, $"only {reads} reads ran alongside {Writes} writes");
        Assert.Empty(checker.StaleReads);
        var hits = cluster.Servers.Sum(s => CachedCluster.Statistics(s).Hits);
        Assert.True(hits > 0, "the readers never hit the cache, so nothing was tested");
    }
}
