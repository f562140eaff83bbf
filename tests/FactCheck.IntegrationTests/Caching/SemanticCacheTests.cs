using FactCheck.Caching;
using FactCheck.Semantics.Index;
using FactCheck.V1;
using Microsoft.Extensions.DependencyInjection;
using Verdict = FactCheck.V1.VerifyAttributionResponse.Types.Verdict;

namespace FactCheck.IntegrationTests.Caching;

/// <summary>A verdict (NOT_FOUND, or PARTIALLY_SUPPORTED by words) cached before a claim could be found by meaning must not outlive the claim's embedding: the
/// instance whose index takes the vector in publishes the invalidation.</summary>
public sealed class SemanticCacheTests
{
    [Theory(Timeout = 240_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACachedVerdictStaysCachedUntilTheClaimIsEmbeddedThenChanges(bool localLayer)
    {
        // The first instance serves with the model but embeds nothing; the claim waits in the queue.
        await using var cluster = await CachedCluster.StartAsync(1, [.. TestChannels.WithModel, "--Semantics:Indexer:Enabled=false", $"--Cache:LocalEnabled={localLayer}"]);
        var server = cluster.Servers[0];
        var index = server.Services.GetRequiredService<SemanticIndex>();
        await index.Built.WaitAsync(TimeSpan.FromSeconds(90));
        var speaker = (await server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Dmitry Peskov") })).Name;
        await server.Claims.CreateClaimAsync(new CreateClaimRequest
        {
            Claim = TestData.Claim(speaker, "Russia continues to support the Syrian president and is analysing the situation on the ground."),
        });
        var request = new VerifyAttributionRequest { Text = "The Kremlin still backs the Syrian president and is studying what is happening on the ground.", Speaker = speaker };

        var statistics = server.Services.GetRequiredService<CacheStatistics>();
        var before = await server.Claims.VerifyAttributionAsync(request);
        Assert.NotEqual(Verdict.SupportedInSubstance, before.Verdict);
        var hits = statistics.Snapshot().Hits;
        Assert.Equal(before, await server.Claims.VerifyAttributionAsync(request));
        Assert.True(statistics.Snapshot().Hits > hits, "the repeated verdict should come from the cache");

        // A second instance embeds the claim; the first one's index takes the vector in from the store's feed and
        // publishes the invalidation.
        await cluster.AddServerAsync(TestChannels.WithModel);
        await SemanticWait.UntilIndexedAsync(server, 1);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        VerifyAttributionResponse after;
        while ((after = await server.Claims.VerifyAttributionAsync(request)).Verdict == before.Verdict)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the cached {before.Verdict} outlived the claim's entry into the index by 10 s");
            await Task.Delay(100);
        }
        Assert.Equal(Verdict.SupportedInSubstance, after.Verdict);
        Assert.Equal(QuoteMatchKind.Paraphrase, after.Matches[0].MatchKind);
    }
}
