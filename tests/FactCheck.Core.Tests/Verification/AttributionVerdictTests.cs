using FactCheck.Core.Claims;
using FactCheck.Core.Verification;
using static FactCheck.Core.Tests.Verification.SeedArticle;

namespace FactCheck.Core.Tests.Verification;

public class AttributionVerdictTests
{
    private static readonly Claim ResistanceClaim = Get("araqchi-resistance-support");

    private static AttributionResult Verify(string text, string? speakerId, params Claim[] extra) =>
        AttributionVerdict.Verify(text, speakerId, [.. All.Values, .. extra]);

    [Fact]
    public void TheQuoteFromItsSpeakerIsSupported()
    {
        var result = Verify("“Resistance groups will help, and Iran will provide any support needed.”", "araqchi");
        Assert.Equal(Verdict.Supported, result.Verdict);
        Assert.Equal(1.0 * 0.9 * 0.8, result.Confidence, 1e-9); // similarity × attribution × UNVERIFIED
        var match = Assert.Single(result.Matches);
        Assert.Equal(new AttributionMatch(ResistanceClaim, 1, MatchKind.Exact, result.Confidence), match);
        Assert.Empty(result.OtherSpeakerIds);
    }

    [Fact]
    public void ACloseVariantFromItsSpeakerIsSupportedWithLessConfidence()
    {
        var result = Verify("resistance groups would help and Iran will give any support needed", "araqchi");
        Assert.Equal(Verdict.Supported, result.Verdict);
        Assert.Equal(0.84375 * 0.9 * 0.8, result.Confidence, 1e-9);
    }

    [Theory]
    [InlineData("Iran will provide any support needed")]
    [InlineData("resistance groups will help ... any support needed")]
    [InlineData("resistance groups will not help and Iran will provide any support needed")]
    public void AFragmentOrPartialMatchFromTheSpeakerIsPartiallySupported(string text)
    {
        var result = Verify(text, "araqchi");
        Assert.Equal(Verdict.PartiallySupported, result.Verdict);
        Assert.Equal(ResistanceClaim, result.Matches[0].Claim);
        Assert.Equal(result.Matches[0].Contribution, result.Confidence);
    }

    [Fact]
    public void ExactWordsOfAParaphraseRecordAreOnlyPartiallySupported()
    {
        var result = Verify("Syria’s military was capable of confronting its opponents", "araqchi");
        Assert.Equal(Verdict.PartiallySupported, result.Verdict);
        Assert.Equal(1.0 * 0.8 * 0.8, result.Confidence, 1e-9);
    }

    [Fact]
    public void ExactWordsOfASecondHandRecordAreOnlyPartiallySupported() =>
        Assert.Equal(Verdict.PartiallySupported, Verify("Moscow dismissed the general in charge of its forces in Syria on Sunday", "russian-war-bloggers").Verdict);

    [Fact]
    public void ExactWordsOfAMisquotedRecordAreOnlyPartiallySupported()
    {
        var result = AttributionVerdict.Verify(ResistanceQuote, "araqchi", [ResistanceClaim with { Status = VerificationStatus.Misquoted }]);
        Assert.Equal(Verdict.PartiallySupported, result.Verdict);
        Assert.Equal(1.0 * 0.9 * 0.3, result.Confidence, 1e-9);
    }

    [Fact]
    public void AraqchisQuoteAttributedToFidanIsMisattributed()
    {
        var result = Verify(ResistanceQuote, "fidan");
        Assert.Equal(Verdict.Misattributed, result.Verdict);
        Assert.Equal(["araqchi"], result.OtherSpeakerIds);
        Assert.Equal(0.72, result.Confidence, 1e-9);
    }

    [Fact]
    public void AFragmentOfAnotherSpeakersQuoteIsMisattributed()
    {
        var result = Verify("Iran will provide any support needed", "fidan");
        Assert.Equal(Verdict.Misattributed, result.Verdict);
        Assert.Equal(["araqchi"], result.OtherSpeakerIds);
    }

    [Fact]
    public void WordsOnRecordFromSomeoneElseAreMisattributedToANameWeDoNotKnow() =>
        Assert.Equal(["araqchi"], Verify(ResistanceQuote, null).OtherSpeakerIds);

    [Fact]
    public void AWeakerPartialMatchFromTheClaimedSpeakerLosesToAnotherSpeakersExactMatch()
    {
        var fidanPartial = ResistanceClaim with { Id = "fidan-partial", SpeakerId = "fidan", Text = "resistance groups will help and Turkey will provide" };
        var result = Verify(ResistanceQuote, "fidan", fidanPartial);
        Assert.Equal(Verdict.Misattributed, result.Verdict);
        Assert.Equal(["araqchi"], result.OtherSpeakerIds);
        Assert.Contains(result.Matches, m => m.Claim == fidanPartial && m.Kind == MatchKind.Partial);
    }

    [Fact]
    public void AnEquallyGoodMatchFromTheClaimedSpeakerKeepsPartialSupport()
    {
        var fidanQuote = Get("araqchi-syrian-military-capable") with { Id = "fidan-same-words", SpeakerId = "fidan", Kind = AttributionKind.DirectQuote };
        Assert.Equal(Verdict.PartiallySupported, Verify("Syria's military was capable of confronting its opponents", "araqchi", fidanQuote).Verdict);
    }

    [Fact]
    public void AMisattributedRecordIsNotSupportButEvidenceOfMisattribution()
    {
        var disowned = ResistanceClaim with { Status = VerificationStatus.Misattributed };
        var result = AttributionVerdict.Verify(ResistanceQuote, "araqchi", [disowned]);
        Assert.Equal(Verdict.Misattributed, result.Verdict);
        Assert.Empty(result.OtherSpeakerIds);
        Assert.Equal(1.0 * 0.9, result.Confidence, 1e-9);
        Assert.Equal(1.0 * 0.9 * 0.2, Assert.Single(result.Matches).Contribution, 1e-9);
    }

    [Fact]
    public void AMisattributedRecordOfTheClaimedSpeakerYieldsToTheRealOne()
    {
        var wronglyFidan = ResistanceClaim with { Id = "fidan-wrong", SpeakerId = "fidan", Status = VerificationStatus.Misattributed };
        Assert.Equal(["araqchi"], Verify(ResistanceQuote, "fidan", wronglyFidan).OtherSpeakerIds);
        Assert.Equal(Verdict.Supported, Verify(ResistanceQuote, "araqchi", wronglyFidan).Verdict);
    }

    [Fact]
    public void AnotherSpeakersMisattributedRecordNamesNobody()
    {
        var wronglyFidan = ResistanceClaim with { Id = "fidan-wrong", SpeakerId = "fidan", Status = VerificationStatus.Misattributed };
        Assert.Equal(Verdict.NotFound, AttributionVerdict.Verify(ResistanceQuote, "peskov", [wronglyFidan]).Verdict);
    }

    [Fact]
    public void UnrelatedWordsAreNotFound()
    {
        var result = Verify("Iran will help the Syrian army", "araqchi");
        Assert.Equal((Verdict.NotFound, 0.0), (result.Verdict, result.Confidence));
        Assert.Empty(result.Matches);
        Assert.Empty(result.OtherSpeakerIds);
    }

    [Fact]
    public void WordsOnlyFromAnUnnamedSourceAreNotFoundButListed()
    {
        var result = Verify("These are fresh reinforcements being sent to aid our comrades on the front lines", "assad");
        Assert.Equal(Verdict.NotFound, result.Verdict);
        Assert.Equal("syrian-military-source-fresh-reinforcements", Assert.Single(result.Matches).Claim.Id);
    }

    [Theory]
    [InlineData(VerificationStatus.Verified, 1.0)]
    [InlineData(VerificationStatus.Unverified, 0.8)]
    [InlineData(VerificationStatus.Unspecified, 0.8)]
    [InlineData(VerificationStatus.Disputed, 0.5)]
    [InlineData(VerificationStatus.Unverifiable, 0.5)]
    public void ConfidenceIsSimilarityTimesAttributionConfidenceTimesStatusFactor(VerificationStatus status, double factor)
    {
        var claim = ResistanceClaim with { Status = status, AttributionConfidence = 0.6 };
        var result = AttributionVerdict.Verify("resistance groups would help and Iran will give any support needed", "araqchi", [claim]);
        Assert.Equal(Verdict.Supported, result.Verdict);
        Assert.Equal(0.84375 * 0.6 * factor, result.Confidence, 1e-9);
    }

    [Fact]
    public void ClaimsSaidNearTheGivenDateRankFirstWithoutChangingConfidence()
    {
        Claim SaidOn(string id, DateOnly day, double confidence = 0.9) =>
            ResistanceClaim with { Id = id, SaidOn = day, AttributionConfidence = confidence };
        var early = SaidOn("a-early", new(2024, 11, 1));
        var onTheDay = SaidOn("b-on-the-day", new(2024, 12, 2));
        var strongerButLate = SaidOn("c-stronger", new(2025, 1, 1), 1.0);
        Claim[] claims = [early, onTheDay, strongerButLate];

        Assert.Equal(["c-stronger", "a-early", "b-on-the-day"], Ids(AttributionVerdict.Verify(ResistanceQuote, "araqchi", claims)));
        var dated = AttributionVerdict.Verify(ResistanceQuote, "araqchi", claims, new DateOnly(2024, 12, 4));
        Assert.Equal(["c-stronger", "b-on-the-day", "a-early"], Ids(dated));
        Assert.Equal(1.0 * 0.8, dated.Confidence, 1e-9);

        // Without a said_on date, the first publication counts.
        var undated = onTheDay with { SaidOn = null };
        Assert.Equal(["b-on-the-day", "a-early"], Ids(AttributionVerdict.Verify(ResistanceQuote, "araqchi", [early, undated], new DateOnly(2024, 12, 5))));
    }

    private static string[] Ids(AttributionResult result) => [.. result.Matches.Select(m => m.Claim.Id)];
}
