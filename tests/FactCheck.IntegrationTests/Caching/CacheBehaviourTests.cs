using FactCheck.Caching;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace FactCheck.IntegrationTests.Caching;

/// <summary>Hits, misses and invalidation of every cached RPC, run with and without the in-process layer.</summary>
public abstract class CacheBehaviourTests(bool localLayer) : IAsyncLifetime
{
    private CachedCluster cluster = null!;
    private TestServer Server => cluster.Servers[0];

    public async Task InitializeAsync() => cluster = await CachedCluster.StartAsync(1, $"--Cache:LocalEnabled={localLayer}");

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private CacheSnapshot Stats => CachedCluster.Statistics(Server);

    /// <summary>Runs <paramref name="call"/> twice: the first must miss, the second must hit.</summary>
    private async Task<T> MissThenHit<T>(Func<Task<T>> call)
    {
        var before = Stats;
        var first = await call();
        var afterFirst = Stats;
        Assert.True(afterFirst.Misses > before.Misses, "the first lookup should miss");
        var second = await call();
        var afterSecond = Stats;
        Assert.True(afterSecond.Hits > afterFirst.Hits, "the repeated lookup should hit");
        Assert.Equal(afterFirst.Misses, afterSecond.Misses);
        Assert.Equal(first, second);
        return second;
    }

    private async Task<(string Speaker, Claim Claim)> SeedAsync()
    {
        var speaker = TestData.Speaker("Abbas Araqchi");
        speaker.Aliases.Add("Abbas Araghchi");
        var speakerName = (await Server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = speaker })).Name;
        var claim = await Server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speakerName) });
        return (speakerName, claim);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task EveryCachedLookupMissesOnceThenHits()
    {
        var (speaker, claim) = await SeedAsync();
        var other = await Server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });

        await MissThenHit(() => Server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }).ResponseAsync);
        await MissThenHit(() => Server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker }).ResponseAsync);
        await MissThenHit(() => Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Araghchi" }).ResponseAsync);
        var page = await MissThenHit(() => Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker }).ResponseAsync);
        Assert.Equal(2, page.Claims.Count);
        var batch = await MissThenHit(() => Server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { other.Name } }).ResponseAsync);
        Assert.Equal(other.Name, batch.Claims.Single().Name);

        // A batch mixing a cached claim with an uncached one loads only the latter.
        var third = await Server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker) });
        var before = Stats;
        var mixed = await Server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { claim.Name, third.Name } });
        Assert.Equal([claim.Name, third.Name], mixed.Claims.Select(c => c.Name));
        Assert.Equal(before.Misses + 1, Stats.Misses);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ABatchOverTheLimitIsRefusedEvenWhenEveryClaimInItIsCached()
    {
        var (_, claim) = await SeedAsync();
        await MissThenHit(() => Server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { claim.Name } }).ResponseAsync);

        var atLimit = await Server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { Enumerable.Repeat(claim.Name, 1000) } });
        Assert.Equal(1000, atLimit.Claims.Count);
        await RpcAssert.InvalidField("names",
            () => Server.Claims.BatchGetClaimsAsync(new BatchGetClaimsRequest { Names = { Enumerable.Repeat(claim.Name, 1001) } }).ResponseAsync);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ClaimWritesInvalidateTheClaimAndItsSpeakersListing()
    {
        var (speaker, claim) = await SeedAsync();
        await MissThenHit(() => Server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }).ResponseAsync);
        await MissThenHit(() => Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker }).ResponseAsync);

        var updated = await Server.Claims.UpdateClaimAsync(new UpdateClaimRequest
        {
            Claim = new Claim { Name = claim.Name, Text = "Resistance groups will help" },
            UpdateMask = new FieldMask { Paths = { "text" } },
        });
        Assert.Equal(updated, await Server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name }));
        Assert.Equal(updated, (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims.Single());

        var withAppearance = await Server.Claims.AddAppearanceAsync(new AddAppearanceRequest
        {
            Claim = claim.Name,
            Appearance = new Appearance { Url = "https://www.reuters.com/world/araqchi", Publication = "Reuters" },
        });
        Assert.Equal(2, (await Server.Claims.GetClaimAsync(new GetClaimRequest { Name = claim.Name })).Appearances.Count);
        Assert.Equal(withAppearance, (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims.Single());

        var added = await Server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker, saidOn: TestData.Date(2024, 12, 3)) });
        Assert.Equal([added.Name, claim.Name], (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims.Select(c => c.Name));

        await Server.Claims.DeleteClaimAsync(new DeleteClaimRequest { Name = added.Name });
        var e = await Assert.ThrowsAsync<RpcException>(() => Server.Claims.GetClaimAsync(new GetClaimRequest { Name = added.Name }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal([claim.Name], (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims.Select(c => c.Name));
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task AnImportInvalidatesTheSpeakersListingAndVerdicts()
    {
        var (speaker, claim) = await SeedAsync();
        var words = "The ceasefire will hold through the winter months";
        var verify = new VerifyAttributionRequest { Text = words, Speaker = speaker };
        await MissThenHit(() => Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker }).ResponseAsync);
        Assert.Equal(VerifyAttributionResponse.Types.Verdict.NotFound,
            (await MissThenHit(() => Server.Claims.VerifyAttributionAsync(verify).ResponseAsync)).Verdict);

        using (var import = Server.Claims.ImportClaims())
        {
            await import.RequestStream.WriteAsync(new ImportClaimsRequest { Claims = { TestData.Claim(speaker, words) } });
            await import.RequestStream.CompleteAsync();
            Assert.Equal(1, (await import.ResponseAsync).ImportedCount);
        }

        Assert.Equal(2, (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims.Count);
        Assert.Equal(VerifyAttributionResponse.Types.Verdict.Supported, (await Server.Claims.VerifyAttributionAsync(verify)).Verdict);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task MovingAClaimToAnotherSpeakerUpdatesBothListings()
    {
        var (speaker, claim) = await SeedAsync();
        var other = (await Server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Hakan Fidan") })).Name;
        await MissThenHit(() => Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker }).ResponseAsync);
        Assert.Empty((await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = other })).Claims);

        await Server.Claims.UpdateClaimAsync(new UpdateClaimRequest { Claim = new Claim { Name = claim.Name, Speaker = other }, UpdateMask = new FieldMask { Paths = { "speaker" } } });

        Assert.Empty((await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = speaker })).Claims);
        Assert.Equal(claim.Name, (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { Speaker = other })).Claims.Single().Name);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task VerdictsAreCachedAndANewClaimWithTheSameWordsChangesThem()
    {
        var (speaker, claim) = await SeedAsync();
        var other = (await Server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Hakan Fidan") })).Name;
        var words = "Turkiye will keep its border posts open for the wounded";
        var request = new VerifyAttributionRequest { Text = words, Speaker = other };
        var before = await MissThenHit(() => Server.Claims.VerifyAttributionAsync(request).ResponseAsync);
        Assert.Equal(VerifyAttributionResponse.Types.Verdict.NotFound, before.Verdict);

        // The same words now on record from the first speaker: the cached verdict must not survive.
        await Server.Claims.CreateClaimAsync(new CreateClaimRequest { Claim = TestData.Claim(speaker, words) });
        var after = await Server.Claims.VerifyAttributionAsync(request);
        Assert.Equal(VerifyAttributionResponse.Types.Verdict.Misattributed, after.Verdict);
        Assert.Equal([speaker], after.AttributedSpeakers);
        Assert.NotEqual(claim.Name, after.Matches[0].Claim.Name);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task SpeakerRenamesAndAliasChangesInvalidateLookupsAndResolution()
    {
        var (speaker, _) = await SeedAsync();
        await MissThenHit(() => Server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker }).ResponseAsync);
        Assert.DoesNotContain((await Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Seyed Abbas" })).Candidates, c => c.Matched == "Seyed Abbas");
        var resolved = await MissThenHit(() => Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Araghchi" }).ResponseAsync);
        Assert.Equal("Abbas Araqchi", resolved.Candidates[0].Speaker.DisplayName);

        var renamed = await Server.Speakers.UpdateSpeakerAsync(new UpdateSpeakerRequest
        {
            Speaker = new Speaker { Name = speaker, DisplayName = "Seyed Abbas Araghchi", Aliases = { "Seyed Abbas" } },
            UpdateMask = new FieldMask { Paths = { "display_name", "aliases" } },
        });

        Assert.Equal(renamed, await Server.Speakers.GetSpeakerAsync(new GetSpeakerRequest { Name = speaker }));
        Assert.Equal("Seyed Abbas Araghchi", (await Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Araghchi" })).Candidates[0].Speaker.DisplayName);
        Assert.Equal(speaker, (await Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Seyed Abbas" })).Candidates[0].Speaker.Name);

        // A new speaker changes resolution too.
        await Server.Speakers.CreateSpeakerAsync(new CreateSpeakerRequest { Speaker = TestData.Speaker("Abbas Araghchi Junior") });
        Assert.Equal(2, (await Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = "Araghchi" })).Candidates.Count);
    }
}

public sealed class CacheWithLocalLayerTests() : CacheBehaviourTests(localLayer: true);

public sealed class CacheRedisOnlyTests() : CacheBehaviourTests(localLayer: false);
