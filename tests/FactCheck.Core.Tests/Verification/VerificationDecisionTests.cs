using FactCheck.Core.Claims;
using FactCheck.Core.Speakers;
using FactCheck.Core.Tests.Speakers;
using FactCheck.Core.Verification;
using static FactCheck.Core.Tests.Verification.SeedArticle;

namespace FactCheck.Core.Tests.Verification;

/// <summary>
/// The meaning-aware decision over the seed claims, with cosines given by hand (the model's part is tested with the
/// model in FactCheck.Semantics.Tests): a claim not listed in a test's cosines gets <see cref="Unrelated"/>.
/// </summary>
public class VerificationDecisionTests
{
    private const double Unrelated = 0.1;
    private const string Resistance = "araqchi-resistance-support";
    private const string Capable = "araqchi-syrian-military-capable";
    private const string IraqiSources = "iraqi-sources-militias-crossed";
    private static readonly Verdict[] Support = [Verdict.Supported, Verdict.SupportedInSubstance, Verdict.PartiallySupported];

    private static VerificationResult Decide(string text, ClaimedSpeaker claimed, params (string Key, double Cosine)[] cosines) =>
        Decide(new VerificationQuery(text, claimed), All.Values, cosines);

    private static VerificationResult Decide(VerificationQuery query, IEnumerable<Claim> claims, params (string Key, double Cosine)[] cosines)
    {
        var given = cosines.ToDictionary(c => c.Key, c => c.Cosine);
        return VerificationDecision.Decide(query, claims.Select(c => new Candidate(c, given.GetValueOrDefault(c.Id, Unrelated))));
    }

    private static ClaimedSpeaker By(Speaker speaker) => new(speaker.DisplayName, speaker);

    private static ClaimedSpeaker Named(string text) => new(text, null);

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AReworded_QuoteIsSupportedInSubstanceOnTheMeaningSignal() => Task.Run(() =>
    {
        var result = Decide("Tehran will give all necessary backing to the resistance factions", By(ArticleSpeakers.Araqchi), (Resistance, 0.8));
        Assert.Equal((Verdict.SupportedInSubstance, Resistance), (result.Verdict, result.Evidence?.Id));
        var match = Assert.Single(result.Matches);
        Assert.Equal((MatchKind.Paraphrase, 0.8, "meaning"), (match.Kind, match.Similarity, match.Signal));
        Assert.Equal(0.8 * 0.9 * 0.8, result.Confidence, 1e-9);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData(0.7)]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public Task AMatchOnMeaningAloneIsNeverSupported(double cosine) => Task.Run(() =>
    {
        var result = Decide("Tehran will give all necessary backing to the resistance factions", By(ArticleSpeakers.Araqchi), (Resistance, cosine));
        Assert.NotEqual(Verdict.Supported, result.Verdict);
        Assert.Equal(Verdict.SupportedInSubstance, result.Verdict);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("resistance groups will not help and Iran will not provide any support needed")]
    [InlineData("Iran will never provide any support to the resistance groups")]
    [InlineData("Iran refused to provide any support to the resistance groups")]
    [InlineData("Iran will withhold any support from the resistance groups")]
    [InlineData("resistance groups will not help and Iran will provide any support needed")]
    public Task ANegationOfTheSpeakersWordsIsContradicted(string text) => Task.Run(() =>
    {
        var result = Decide(text, By(ArticleSpeakers.Araqchi), (Resistance, 0.85));
        Assert.Equal((Verdict.Contradicted, ReasonCode.SaidTheOpposite, Resistance), (result.Verdict, result.Reason, result.Evidence?.Id));
        Assert.Equal([new Party("araqchi", null)], result.Named);
        Assert.Equal(MatchKind.Contradicts, result.Matches.Single(m => m.Claim.Id == Resistance).Kind);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("Syria's military was not capable of confronting its opponents", Capable)]
    [InlineData("Syria's military was incapable of confronting its opponents", Capable)]
    [InlineData("Russia no longer supports the Syrian president", "peskov-russia-supports-assad")]
    [InlineData("Russia has stopped supporting the Syrian president", "peskov-russia-supports-assad")]
    [InlineData("The HTS advances could be explained by foreign intervention", "fidan-hts-advances-not-foreign-intervention")]
    [InlineData("We are not ready to start negotiating tomorrow", "al-bahra-ready-to-negotiate")]
    [InlineData("No fighters from the Badr and Nujabaa groups crossed into Syria on Sunday", IraqiSources)]
    public Task AContradictionNeverYieldsAnySupportWhoeverItIsCreditedTo(string text, string key) => Task.Run(() =>
    {
        foreach (var claimed in new[] { By(ArticleSpeakers.Araqchi), By(ArticleSpeakers.Fidan), By(ArticleSpeakers.Peskov), Named("two Iraqi security sources"), Named("Someone Else"), ClaimedSpeaker.Nobody })
        {
            var result = Decide(text, claimed, (key, 0.9));
            Assert.DoesNotContain(result.Verdict, Support);
            Assert.All(result.Matches.Where(m => m.Claim.Id == key), m => Assert.Equal(MatchKind.Contradicts, m.Kind));
        }
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("The central bank will keep interest rates unchanged until the end of the year")]
    [InlineData("Iran will host a regional conference on water security next spring")]
    [InlineData("The general manager of the club was dismissed after a string of defeats")]
    public Task UnrelatedTextIsNotFoundWhoeverItIsCreditedTo(string text) => Task.Run(() =>
    {
        foreach (var claimed in new[] { By(ArticleSpeakers.Araqchi), By(ArticleSpeakers.Peskov), Named("two Iraqi security sources"), Named("Someone Else"), ClaimedSpeaker.Nobody })
        {
            var result = Decide(text, claimed);
            Assert.Equal((Verdict.NotFound, 0.0, (Claim?)null), (result.Verdict, result.Confidence, result.Evidence));
        }
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task NoAnswerIsNotFoundWhileItListsAnExactMatch() => Task.Run(() =>
    {
        Speaker[] speakers = ArticleSpeakers.All;
        var claimedSpeakers = speakers.Select(By).Concat([Named("Someone Else"), Named("a senior Syrian military source"), ClaimedSpeaker.Nobody]);
        var disowned = Get(Resistance) with { Id = "disowned-copy", SpeakerId = "fidan", Status = VerificationStatus.Misattributed };
        foreach (var claim in All.Values)
            foreach (var claimed in claimedSpeakers)
            {
                var result = Decide(new VerificationQuery(claim.Text, claimed), [.. All.Values, disowned], [(claim.Id, 1.0)]);
                if (result.Matches.Any(m => m.Kind == MatchKind.Exact)) Assert.NotEqual(Verdict.NotFound, result.Verdict);
            }
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("two Iraqi security sources")]
    [InlineData("Iraqi security sources")]
    [InlineData("an Iraqi security source")]
    public Task AnUnnamedSourcesExactWordsAreSupported(string claimed) => Task.Run(() =>
    {
        var result = Decide(Get(IraqiSources).Text, Named(claimed), (IraqiSources, 1.0));
        Assert.Equal((Verdict.Supported, IraqiSources), (result.Verdict, result.Evidence?.Id));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AnUnnamedSourcesWordsCreditedToANamedSpeakerAreMisattributedNamingTheSources() => Task.Run(() =>
    {
        var result = Decide(Get(IraqiSources).Text, By(ArticleSpeakers.Araqchi), (IraqiSources, 1.0));
        Assert.Equal((Verdict.Misattributed, ReasonCode.UnnamedSourceCredited, IraqiSources), (result.Verdict, result.Reason, result.Evidence?.Id));
        Assert.Equal([new Party(null, "two Iraqi security sources")], result.Named);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AnotherUnnamedSourcesWordsAreSaidByOther() => Task.Run(() =>
    {
        var result = Decide(Get(IraqiSources).Text, Named("a senior Syrian military source"), (IraqiSources, 1.0), ("syrian-military-source-small-groups", 0.72));
        Assert.Equal((Verdict.Misattributed, ReasonCode.SaidByOther), (result.Verdict, result.Reason));
        Assert.Equal(new Party(null, "two Iraqi security sources"), result.Named[0]);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task ARewordingCreditedToTheWrongSpeakerIsMisattributedNamingTheRightOne() => Task.Run(() =>
    {
        var result = Decide("Tehran will give all necessary backing to the resistance factions", By(ArticleSpeakers.Fidan), (Resistance, 0.8), ("fidan-urges-opposition-compromise", 0.3));
        Assert.Equal((Verdict.Misattributed, ReasonCode.SaidByOther, Resistance), (result.Verdict, result.Reason, result.Evidence?.Id));
        Assert.Equal([new Party("araqchi", null)], result.Named);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task TheReportersParaphraseIsSaidInSubstanceButNotAsAQuote() => Task.Run(() =>
    {
        var plain = Decide("Syria's military was capable of confronting its opponents", By(ArticleSpeakers.Araqchi), (Capable, 1.0));
        Assert.Equal((Verdict.SupportedInSubstance, Capable), (plain.Verdict, plain.Evidence?.Id));

        var quoted = Decide("“Syria’s military is capable of confronting its opponents.”", By(ArticleSpeakers.Araqchi), (Capable, 0.98));
        Assert.Equal((Verdict.Misattributed, ReasonCode.ParaphraseAsQuote, Capable), (quoted.Verdict, quoted.Reason, quoted.Evidence?.Id));
        Assert.Equal([new Party("araqchi", null)], quoted.Named);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task ARewordingOfADirectQuoteInQuotationMarksIsStillSaidInSubstance() => Task.Run(() =>
    {
        Assert.Equal(Verdict.SupportedInSubstance, Decide("“Tehran will give all necessary backing to the resistance factions”", By(ArticleSpeakers.Araqchi), (Resistance, 0.8)).Verdict);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task WordsSaidYearsAwayFromTheDateGivenAreWrongTimeOrRole() => Task.Run(() =>
    {
        var query = new VerificationQuery(ResistanceQuote, By(ArticleSpeakers.Araqchi), new DateOnly(2019, 5, 1));
        var result = Decide(query, All.Values, [(Resistance, 1.0)]);
        Assert.Equal((Verdict.Misattributed, ReasonCode.WrongTimeOrRole, Resistance), (result.Verdict, result.Reason, result.Evidence?.Id));
        Assert.Equal(Verdict.Supported, Decide(query with { SaidOn = new DateOnly(2024, 11, 20) }, All.Values, (Resistance, 1.0)).Verdict);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task ARoleTheSpeakerDidNotHoldWhenTheWordsWereSaidIsWrongTimeOrRole() => Task.Run(() =>
    {
        var before = Get(Resistance) with { SaidOn = new DateOnly(2021, 3, 1) };
        var asMinister = Decide(new VerificationQuery(ResistanceQuote, new ClaimedSpeaker("Iranian Foreign Minister Abbas Araqchi", ArticleSpeakers.Araqchi)), [before], [(Resistance, 1.0)]);
        Assert.Equal((Verdict.Misattributed, ReasonCode.WrongTimeOrRole), (asMinister.Verdict, asMinister.Reason));
        var byName = Decide(new VerificationQuery(ResistanceQuote, new ClaimedSpeaker("Abbas Araqchi", ArticleSpeakers.Araqchi)), [before], [(Resistance, 1.0)]);
        Assert.Equal(Verdict.Supported, byName.Verdict);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task WordsTheSpeakerOnlyRelayedAreSecondHandRelayNamingTheirOriginator() => Task.Run(() =>
    {
        var relayed = Get(Resistance) with { Id = "peskov-relays", SpeakerId = "peskov", Kind = AttributionKind.SecondHand };
        var result = Decide(new VerificationQuery(ResistanceQuote, By(ArticleSpeakers.Peskov)), [Get(Resistance), relayed], (Resistance, 1.0), ("peskov-relays", 1.0));
        Assert.Equal((Verdict.Misattributed, ReasonCode.SecondHandRelay, Resistance), (result.Verdict, result.Reason, result.Evidence?.Id));
        Assert.Equal([new Party("araqchi", null)], result.Named);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task OurReviewDisowningTheSpeakersRecordIsMisattribution() => Task.Run(() =>
    {
        var disowned = Get(Resistance) with { Status = VerificationStatus.Misattributed };
        var result = Decide(new VerificationQuery(ResistanceQuote, By(ArticleSpeakers.Araqchi)), [disowned], [(Resistance, 1.0)]);
        Assert.Equal((Verdict.Misattributed, ReasonCode.DisownedByReview), (result.Verdict, result.Reason));
        Assert.Empty(result.Named);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task WhoSaidThisListsEveryOriginatorBestMatchThenFirstAppearance() => Task.Run(() =>
    {
        var source = Get(Resistance).Appearances[0];
        var laterCopy = Get(Resistance) with
        {
            Id = "fidan-copy",
            SpeakerId = "fidan",
            Appearances = [source with { Url = "https://example.org/later", PublishTime = source.PublishTime!.Value.AddDays(3) }],
        };
        var result = Decide(new VerificationQuery(ResistanceQuote, ClaimedSpeaker.Nobody), [laterCopy, .. All.Values], (Resistance, 1.0), ("fidan-copy", 1.0));
        Assert.Equal(Verdict.Supported, result.Verdict);
        Assert.Equal([new Party("araqchi", null), new Party("fidan", null)], result.Named);
        var first = result.Originators[0];
        Assert.Equal((AttributionKind.DirectQuote, MatchKind.Exact, Resistance, source), (first.Kind, first.Match, first.FirstClaim.Id, first.FirstAppearance));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task WhoSaidThisFindsUnnamedSourcesAndOpposites() => Task.Run(() =>
    {
        var sources = Decide(Get(IraqiSources).Text, ClaimedSpeaker.Nobody, (IraqiSources, 1.0));
        Assert.Equal((Verdict.Supported, AttributionKind.UnnamedSource), (sources.Verdict, sources.Originators[0].Kind));
        Assert.Equal(new Party(null, "two Iraqi security sources"), sources.Named[0]);

        var opposite = Decide("Russia no longer supports the Syrian president", ClaimedSpeaker.Nobody, ("peskov-russia-supports-assad", 0.8));
        Assert.Equal((Verdict.Contradicted, ReasonCode.SaidTheOpposite), (opposite.Verdict, opposite.Reason));
        Assert.Equal(new Party("peskov", null), opposite.Named[0]);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task ANumberChangedIsNoRewordingHoweverCloseTheSentences() => Task.Run(() =>
    {
        var result = Decide("More than 3,000 fighters from Badr and Nujabaa entered Syria on Sunday night by a dirt track", Named("Iraqi security sources"), (IraqiSources, 0.93));
        Assert.NotEqual(Verdict.SupportedInSubstance, result.Verdict);
        Assert.DoesNotContain(result.Matches, m => m.Kind == MatchKind.Paraphrase);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task TheSpeakersOwnWordsAndFragmentsKeepTheirLexicalVerdicts() => Task.Run(() =>
    {
        Assert.Equal(Verdict.Supported, Decide("“Resistance groups will help, and Iran will provide any support needed.”", By(ArticleSpeakers.Araqchi), (Resistance, 0.99)).Verdict);
        Assert.Equal(Verdict.Supported, Decide("resistance groups would help and Iran will give any support needed", By(ArticleSpeakers.Araqchi), (Resistance, 0.97)).Verdict);
        Assert.Equal(Verdict.PartiallySupported, Decide("resistance groups will help ... any support needed", By(ArticleSpeakers.Araqchi), (Resistance, 0.9)).Verdict);
        Assert.Equal(Verdict.PartiallySupported, Decide("Moscow dismissed the general in charge of its forces in Syria on Sunday", Named("Russian war bloggers"), ("war-bloggers-general-dismissed", 1.0)).Verdict);
    });
}
