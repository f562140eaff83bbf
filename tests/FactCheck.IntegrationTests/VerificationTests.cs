using FactCheck.V1;
using Verdict = FactCheck.V1.VerifyAttributionResponse.Types.Verdict;

namespace FactCheck.IntegrationTests;

/// <summary>VerifyAttribution on the seed article's claims and perturbed versions of them.</summary>
public sealed class VerificationTests(VerificationTests.SeededServer server) : IClassFixture<VerificationTests.SeededServer>
{
    public sealed class SeededServer : IAsyncLifetime
    {
        private readonly ServerFixture server = new();
        public ServerFixture Server => server;

        public async Task InitializeAsync()
        {
            await server.InitializeAsync();
            await CliProcess.ImportSeedAsync(server.Address);
        }

        public Task DisposeAsync() => server.DisposeAsync();
    }

    private ClaimService.ClaimServiceClient Claims => server.Server.Claims;

    private async Task<VerifyAttributionResponse> Verify(string text, string speaker) =>
        await Claims.VerifyAttributionAsync(new VerifyAttributionRequest { Text = text, Speaker = speaker });

    private async Task<string> SpeakerNamed(string name) =>
        (await server.Server.Speakers.ResolveSpeakerAsync(new ResolveSpeakerRequest { Query = name })).Candidates[0].Speaker.Name;

    [Theory(Timeout = TestTimeouts.Server)]
    [InlineData("resistance groups will help and Iran will provide any support needed", "Abbas Araqchi")]
    [InlineData("“Resistance groups will help, and Iran will provide any support needed!”", "Araghchi")]
    [InlineData("RESISTANCE   GROUPS will help and Iran will provide ANY support needed", "Iran's foreign minister")]
    [InlineData("We are ready to start negotiating tomorrow.", "Hadi al-Bahra")]
    public async Task TheWordsOnRecordFromThatSpeakerAreSupported(string text, string speaker)
    {
        var response = await Verify(text, speaker);
        Assert.Equal(Verdict.Supported, response.Verdict);
        Assert.Equal(QuoteMatchKind.Exact, response.Matches[0].MatchKind);
        Assert.Equal(response.ResolvedSpeaker, response.Matches[0].Claim.Speaker);
        Assert.InRange(response.Confidence, 0.5, 1.0);
    }

    [Theory(Timeout = TestTimeouts.Server)]
    [InlineData("Iran will provide any support needed")]
    [InlineData("resistance groups will help ... any support needed")]
    public async Task FragmentsOfAQuoteArePartiallySupported(string text)
    {
        var response = await Verify(text, "Araqchi");
        Assert.Equal(Verdict.PartiallySupported, response.Verdict);
        Assert.Equal(QuoteMatchKind.Fragment, response.Matches[0].MatchKind);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task TheSameWordsGivenToSomeoneElseAreMisattributed()
    {
        var response = await Verify("Resistance groups will help and Iran will provide any support needed", "Hakan Fidan");

        Assert.Equal(Verdict.Misattributed, response.Verdict);
        Assert.Equal(await SpeakerNamed("Hakan Fidan"), response.ResolvedSpeaker);
        Assert.Equal([await SpeakerNamed("Abbas Araqchi")], response.AttributedSpeakers);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task WordsNobodySaidAreNotFound()
    {
        var response = await Verify("The moon is made of green cheese and everybody knows it", "Dmitry Peskov");
        Assert.Equal(Verdict.NotFound, response.Verdict);
        Assert.Equal(0, response.Confidence);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task TheWordsOfAParaphraseOnRecordAreSupportedInSubstanceNotAsTheSpeakersOwn()
    {
        var response = await Verify("Syria’s military was capable of confronting its opponents.", "Araqchi");
        Assert.Equal(Verdict.SupportedInSubstance, response.Verdict);
        Assert.Equal(AttributionKind.Paraphrase, response.Matches[0].Claim.AttributionKind);
    }

    [Fact(Timeout = TestTimeouts.Server)]
    public async Task BadRequestsNameTheField()
    {
        await RpcAssert.InvalidField("text", () => Claims.VerifyAttributionAsync(new VerifyAttributionRequest { Speaker = "Araqchi" }).ResponseAsync);
        await RpcAssert.InvalidField("speaker", () => Claims.VerifyAttributionAsync(new VerifyAttributionRequest { Text = "words", Speaker = new string('x', 501) }).ResponseAsync);
        await RpcAssert.InvalidField("max_matches", () => Claims.VerifyAttributionAsync(new VerifyAttributionRequest { Text = "words", Speaker = "x", MaxMatches = -1 }).ResponseAsync);
    }
}
