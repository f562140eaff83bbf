using FactCheck.Caching;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.IntegrationTests;

/// <summary>Two server processes on one PostgreSQL database and one Redis, as deployed behind a load balancer.</summary>
public sealed class MultiInstanceTests
{
    [Fact]
    public async Task AWriteThroughOneInstanceIsNeverReadStaleThroughTheOther()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var redis = await RedisServer.StartAsync();
        string[] settings =
        [
            "--Storage:Provider=postgres",
            $"--ConnectionStrings:Postgres={database.ConnectionString}",
            $"--ConnectionStrings:Redis={redis.ConnectionString}",
        ];
        // Both start at once on an empty database: migrations must serialize.
        var started = await Task.WhenAll(ServerProcess.StartAsync(settings), ServerProcess.StartAsync(settings));
        await using var a = started[0];
        await using var b = started[1];

        try
        {
            await WritesAndReadsAcrossInstancesAsync(a, b);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"instance A said:\n{a.OutputTail}\n\ninstance B said:\n{b.OutputTail}", e);
        }
    }

    private static async Task WritesAndReadsAcrossInstancesAsync(ServerProcess a, ServerProcess b)
    {
        var speaker = (await a.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Hakan Fidan") })).Name;
        var claim = await a.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });

        for (var round = 0; round < 100; round++)
        {
            var (writer, reader) = round % 2 == 0 ? (a, b) : (b, a);
            // Warm the reader's caches with the current version first, so a missed invalidation would show.
            await reader.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name });
            await reader.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker });

            claim = await writer.Claims.UpdateClaimAsync(new UpdateClaimRequest
            {
                Claim = new Claim { Name = claim.Name, Context = $"round {round}" },
                UpdateMask = new FieldMask { Paths = { "context" } },
            });

            Assert.Equal(claim, await reader.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }));
            Assert.Equal(claim, (await reader.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims.Single());
            Assert.Equal(claim, (await reader.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { claim.Name } })).Claims.Single());
        }

        await b.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Fidan" });
        await a.Speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest
        {
            Speaker = new Speaker { Name = speaker, Aliases = { "Hakan Fidan Bey" } },
            UpdateMask = new FieldMask { Paths = { "aliases" } },
        });
        var resolved = await b.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Fidan" });
        Assert.Equal(["Hakan Fidan Bey"], resolved.Candidates.Single().Speaker.Aliases);

        var stats = await b.GetJsonAsync<CacheSnapshot>("/cache/stats");
        Assert.True(stats.Hits > 0, "the reader never hit its cache, so staleness was not tested");
        Assert.False(stats.Degraded);
    }
}
