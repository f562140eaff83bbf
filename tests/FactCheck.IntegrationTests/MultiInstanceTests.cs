using System.Diagnostics;
using System.Text.Json;
using FactCheck.Caching;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Verdict = FactCheck.V1.VerifyAttributionResponse.Types.Verdict;

namespace FactCheck.IntegrationTests;

/// <summary>Two server processes on one PostgreSQL database and one Redis, as deployed behind a load balancer.</summary>
public sealed class MultiInstanceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact(Timeout = TestTimeouts.Server)]
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

    [Fact(Timeout = 300_000)]
    public async Task AClaimWrittenThroughOneInstanceIsFoundByMeaningThroughTheOtherWithinSecondsAndLeavesWhenDeleted()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        string[] settings = ["--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={database.ConnectionString}", .. TestChannels.WithModel];
        await using var a = await ServerProcess.StartAsync(settings);
        await using var b = await ServerProcess.StartAsync(settings);
        try
        {
            var speaker = (await a.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Dmitry Peskov") })).Name;
            var request = new VerifyAttributionRequest { Text = "The Kremlin still backs the Syrian president and is studying what is happening on the ground.", Speaker = speaker };
            // Both models loaded, so that what is timed below is the indexer, the store's feed and the index.
            foreach (var server in new[] { a, b }) await IndexedAsync(server, 0, TimeSpan.FromSeconds(120));

            var clock = Stopwatch.StartNew();
            var claim = await a.Claims.CreateClaimAsync(new CreateClaimRequest
            {
                Claim = TestData.Claim(speaker, "Russia continues to support the Syrian president and is analysing the situation on the ground."),
            });
            VerifyAttributionResponse found;
            while ((found = await b.Claims.VerifyAttributionAsync(request)).Verdict != Verdict.SupportedInSubstance)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"instance B did not find the claim by meaning within 20 s (last: {found.Verdict})");
                await Task.Delay(100);
            }
            Assert.Equal(claim.Name, found.EvidenceClaim);
            output.WriteLine($"found by meaning through the other instance {clock.ElapsedMilliseconds} ms after the write");

            await a.Claims.DeleteClaimAsync(new DeleteClaimRequest { Name = claim.Name, Reason = "test" });
            await IndexedAsync(b, 0, TimeSpan.FromSeconds(20), exactly: true);
            Assert.Equal(Verdict.NotFound, (await b.Claims.VerifyAttributionAsync(request)).Verdict);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"instance A said:\n{a.OutputTail}\n\ninstance B said:\n{b.OutputTail}", e);
        }
    }

    /// <summary>Until the instance's semantic index is built and holds <paramref name="vectors"/> (at least, or
    /// exactly), as its health details say.</summary>
    private static async Task IndexedAsync(ServerProcess server, int vectors, TimeSpan within, bool exactly = false)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var semantics = (await server.GetJsonAsync<JsonElement>("/healthz")).GetProperty("checks").GetProperty("semantics");
            var indexed = semantics.GetProperty("data").GetProperty("indexed").GetInt32();
            if (semantics.GetProperty("status").GetString() == "Healthy" && (exactly ? indexed == vectors : indexed >= vectors)) return;
            Assert.True(clock.Elapsed < within, $"the index holds {indexed} vectors ({semantics.GetProperty("status")}), not {vectors}, after {within}");
            await Task.Delay(100);
        }
    }
}
