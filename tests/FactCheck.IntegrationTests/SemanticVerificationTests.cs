using FactCheck.Semantics.Index;
using FactCheck.V1;
using Microsoft.Extensions.DependencyInjection;
using Verdict = FactCheck.V1.VerifyAttributionResponse.Types.Verdict;

namespace FactCheck.IntegrationTests;

/// <summary>VerifyAttribution by meaning, who-said-this and claim relations, on a server with the sentence model and
/// the seed article's claims embedded by its background indexer. The rewordings are ours, not the evaluation set's.</summary>
public sealed class SemanticVerificationTests(SemanticVerificationTests.EmbeddedSeed seed) : IClassFixture<SemanticVerificationTests.EmbeddedSeed>
{
    public sealed class EmbeddedSeed : IAsyncLifetime
    {
        private readonly TempDirectory directory = new();
        public TestServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await TestServer.StartAsync(directory.File("factcheck.db"), TestChannels.WithModel);
            await CliProcess.ImportSeedAsync(Server.Address);
            var claims = (await Server.Claims.ListClaimsAsync(new ListClaimsRequest { PageSize = 100 })).Claims.Count;
            await SemanticWait.UntilIndexedAsync(Server, claims);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            directory.Dispose();
        }
    }

    private ClaimService.ClaimServiceClient Claims => seed.Server.Claims;

    private Task<VerifyAttributionResponse> Verify(string text, string speaker) =>
        Claims.VerifyAttributionAsync(new VerifyAttributionRequest { Text = text, Speaker = speaker }).ResponseAsync;

    private async Task<string> SpeakerNamed(string name) =>
        (await seed.Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = name })).Candidates[0].Speaker.Name;

    [Theory(Timeout = 60_000)]
    [InlineData("The Kremlin still backs the Syrian president and is studying what is happening on the ground.", "Dmitry Peskov")]
    [InlineData("HTS and its allies want to push the Syrian government into agreeing to a political transition.", "Hadi al-Bahra")]
    public async Task ARewordingOfWhatTheSpeakerSaidIsSupportedInSubstance(string text, string speaker)
    {
        var response = await Verify(text, speaker);

        Assert.Equal(Verdict.SupportedInSubstance, response.Verdict);
        Assert.Equal(QuoteMatchKind.Paraphrase, response.Matches[0].MatchKind);
        Assert.Equal("meaning", response.Matches[0].Signal);
        Assert.Equal(await SpeakerNamed(speaker), response.Matches[0].Claim.Speaker);
        Assert.Equal(response.Matches[0].Claim.Name, response.EvidenceClaim);
        Assert.Equal(await SpeakerNamed(speaker), response.ClaimedParty.Speaker);
        Assert.NotEmpty(response.Explanation);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("The Kremlin still backs the Syrian president and is studying what is happening on the ground.", "Hakan Fidan", "Dmitry Peskov")]
    [InlineData("HTS and its allies want to push the Syrian government into agreeing to a political transition.", "Araqchi", "Hadi al-Bahra")]
    public async Task TheSameRewordingGivenToSomeoneElseIsMisattributedNamingWhoSaidIt(string text, string claimed, string onRecord)
    {
        var response = await Verify(text, claimed);

        Assert.Equal(Verdict.Misattributed, response.Verdict);
        Assert.Equal(ReasonCode.SaidByOther, response.Reason);
        Assert.Equal(await SpeakerNamed(claimed), response.ClaimedParty.Speaker);
        Assert.Equal(await SpeakerNamed(onRecord), response.NamedParties[0].Speaker);
        Assert.Equal([await SpeakerNamed(onRecord)], response.AttributedSpeakers);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("Russia no longer supports the Syrian president.", "Dmitry Peskov")]
    [InlineData("Syria's military was not capable of confronting its opponents.", "Abbas Araqchi")]
    public async Task ANegationOfWhatTheSpeakerSaidIsContradicted(string text, string speaker)
    {
        var response = await Verify(text, speaker);

        Assert.Equal(Verdict.Contradicted, response.Verdict);
        Assert.Equal(QuoteMatchKind.Contradicts, response.Matches[0].MatchKind);
        Assert.Equal(await SpeakerNamed(speaker), response.Matches[0].Claim.Speaker);
        Assert.Equal(ReasonCode.SaidTheOpposite, response.Reason);
    }

    [Fact(Timeout = 60_000)]
    public async Task TheExactWordsOfUnnamedSourcesAreSupportedForThoseSources()
    {
        var response = await Verify(
            "Over 300 fighters, primarily from the Badr and Nujabaa groups, crossed into Syria late on Sunday using a dirt road to avoid the official border crossing.",
            "Iraqi security sources");

        Assert.Equal(Verdict.Supported, response.Verdict);
        Assert.Equal(QuoteMatchKind.Exact, response.Matches[0].MatchKind);
        Assert.Equal("", response.ClaimedParty.Speaker);
        Assert.Equal("Iraqi security sources", response.ClaimedParty.AttributedTo);
        Assert.Equal("two Iraqi security sources", response.Matches[0].Claim.AttributedTo);
    }

    [Fact(Timeout = 60_000)]
    public async Task WhoSaidThisListsTheOriginatorsOnRecordWithTheirFirstAppearance()
    {
        var response = await Verify("The Russian government keeps supporting the Syrian president and is looking at the situation on the ground.", "");

        var first = response.Originators[0];
        Assert.Equal(await SpeakerNamed("Dmitry Peskov"), first.Party.Speaker);
        Assert.Equal(AttributionKind.Paraphrase, first.AttributionKind);
        Assert.StartsWith("https://", first.FirstAppearance.Url);
        Assert.Equal(response.Matches[0].Claim.Name, first.FirstClaim);
        Assert.Null(response.ClaimedParty);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task ARepeatedClaimIsSuggestedAsARelationAndAReviewersDecisionIsAudited()
    {
        var araqchi = await SpeakerNamed("Abbas Araqchi");
        var repeat = await Claims.CreateClaimAsync(new CreateClaimRequest
        {
            Claim = TestData.Claim(araqchi, "Resistance groups will help, and Iran will provide any support that is needed."),
        });
        var relations = new ClaimRelationService.ClaimRelationServiceClient(seed.Server.Channel);

        ClaimRelation? suggested = null;
        for (var attempt = 0; suggested is null; attempt++)
        {
            Assert.True(attempt < 300, "no relation was suggested within 60 s of the claim's creation");
            await Task.Delay(200);
            var listed = await relations.ListClaimRelationsAsync(new ListClaimRelationsRequest { Parent = repeat.Name });
            suggested = listed.ClaimRelations.FirstOrDefault(r => r.Kind == ClaimRelation.Types.Kind.Repeats);
        }
        Assert.Equal(ClaimRelation.Types.State.Suggested, suggested.State);
        Assert.Equal(repeat.Name, suggested.Claim);
        var original = (await Verify("resistance groups will help and Iran will provide any support needed", araqchi)).Matches
            .Select(m => m.Claim.Name).First(n => n != repeat.Name);
        Assert.Equal(original, suggested.RelatedClaim);

        var confirmed = await relations.ConfirmClaimRelationAsync(new ConfirmClaimRelationRequest
        {
            Name = suggested.Name,
            Etag = suggested.Etag,
            Reason = "same press conference",
        });
        Assert.Equal(ClaimRelation.Types.State.Confirmed, confirmed.State);
        Assert.Equal("test-admin", confirmed.Reviewer);

        var shown = await Claims.GetClaimAsync(new GetClaimRequest { Name = repeat.Name, View = ClaimView.Full });
        Assert.Equal(ClaimRelation.Types.State.Confirmed, shown.Relations.Single(r => r.Name == suggested.Name).State);

        var audit = new AuditService.AuditServiceClient(seed.Server.Channel);
        var events = (await audit.ListAuditEventsAsync(new ListAuditEventsRequest { Resource = suggested.Name })).Events;
        var decision = Assert.Single(events);
        Assert.Equal("relation.confirm", decision.Action);
        Assert.Equal("test-admin", decision.Principal);
        Assert.Equal("same press conference", decision.Reason);
    }
}

/// <summary>Waiting for a server's semantic index.</summary>
internal static class SemanticWait
{
    /// <summary>Until the server's index holds at least <paramref name="vectors"/> vectors (a minute at most: the model
    /// loads in seconds and the indexer embeds the seed in about one).</summary>
    public static async Task UntilIndexedAsync(TestServer server, int vectors)
    {
        var index = server.Services.GetRequiredService<SemanticIndex>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (index.Count < vectors)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the semantic index holds {index.Count} of {vectors} vectors after 90 s");
            await Task.Delay(100);
        }
    }
}
