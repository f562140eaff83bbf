using FactCheck.Core.Verification;
using static FactCheck.Core.Tests.Verification.SeedArticle;

namespace FactCheck.Core.Tests.Verification;

public class QuoteSimilarityTests
{
    private static QuoteMatch Score(string query, string key) => QuoteSimilarity.Score(query, Get(key).Text);

    [Theory]
    [InlineData(ResistanceQuote)]
    [InlineData("RESISTANCE groups will help, and Iran will provide any support needed!")]
    [InlineData("“Resistance groups will help and Iran will provide any support needed.”")]
    [InlineData("\"Resistance groups will help and Iran will provide any support needed.\"")]
    [InlineData("«Resistance groups  will help —\nand Irán will provide any support needed»")]
    public void RePunctuatedRecasedRequotedAndReaccentedTextIsExact(string query) =>
        Assert.Equal(new QuoteMatch(1, MatchKind.Exact), Score(query, "araqchi-resistance-support"));

    [Fact]
    public void CurlyAndStraightApostrophesAreTheSame() =>
        Assert.Equal(MatchKind.Exact, QuoteSimilarity.Score("Syria's military was capable of confronting its opponents.", Get("araqchi-syrian-military-capable").Text).Kind);

    [Theory]
    [InlineData("Iran will provide any support needed")]
    [InlineData("resistance groups will help ... any support needed")]
    [InlineData("resistance groups will help […] Iran will provide any support needed")]
    [InlineData("“…groups will help and Iran will provide…”")]
    public void TrimmedAndElidedQuotesAreWholeFragments(string query) =>
        Assert.Equal(new QuoteMatch(1, MatchKind.Fragment), Score(query, "araqchi-resistance-support"));

    [Fact]
    public void WordsChangedGiveANearMatch()
    {
        // would/will (function words, ¼ each) and give/provide (content): 6.75 of 8 in common.
        var match = Score("resistance groups would help and Iran will give any support needed", "araqchi-resistance-support");
        Assert.Equal(MatchKind.Near, match.Kind);
        Assert.Equal(0.84375, match.Similarity, 1e-9);
    }

    [Fact]
    public void ADroppedWordIsNearAndAContractionChangesNothing()
    {
        var match = Score("resistance groups will help and Iran will provide support needed", "araqchi-resistance-support");
        Assert.Equal(MatchKind.Near, match.Kind);
        Assert.Equal(7.75 / 8, match.Similarity, 1e-9);
        Assert.Equal(MatchKind.Exact, Score("We’re ready to start negotiating tomorrow", "al-bahra-ready-to-negotiate").Kind);
    }

    [Fact]
    public void OneContentWordChangedInAShortQuoteIsOnlyPartial()
    {
        var match = Score("We are ready to stop negotiating tomorrow", "al-bahra-ready-to-negotiate");
        Assert.Equal(MatchKind.Partial, match.Kind);
        Assert.Equal(3.75 / 4.75, match.Similarity, 1e-9);
    }

    [Theory]
    [InlineData("resistance groups will not help and Iran will provide any support needed")]
    [InlineData("resistance groups won't help and Iran will provide any support needed")]
    [InlineData("Iran will not provide any support needed")]
    public void AnAddedNegationIsNeverACloseMatch(string query) =>
        Assert.Equal(MatchKind.Partial, Score(query, "araqchi-resistance-support").Kind);

    [Fact]
    public void AChangedWordInAFragmentIsPartial()
    {
        var match = Score("Iran will give any support needed", "araqchi-resistance-support");
        Assert.Equal(MatchKind.Partial, match.Kind);
        Assert.Equal(3.5 / 4.5, match.Similarity, 1e-9);
    }

    [Fact]
    public void AQueryLongerThanTheClaimIsPartial()
    {
        var match = QuoteSimilarity.Score("Resistance groups will help and Iran will provide any support needed", "Iran will provide any support needed");
        Assert.Equal(MatchKind.Partial, match.Kind);
        Assert.Equal(4.5 / 8, match.Similarity, 1e-9);
    }

    [Fact]
    public void ElidedSegmentsOutOfOrderAreNotAFragment() =>
        Assert.NotEqual(MatchKind.Fragment, Score("any support needed ... resistance groups will help", "araqchi-resistance-support").Kind);

    [Theory]
    [InlineData("Iran will help the Syrian army", "fidan-urges-opposition-compromise")]
    [InlineData("Iran will help the Syrian army", "araqchi-resistance-support")]
    [InlineData("Russia continues to support the Syrian president", "araqchi-resistance-support")]
    [InlineData("Russia continues to support the Syrian president", "fidan-urges-opposition-compromise")]
    [InlineData(ResistanceQuote, "peskov-russia-supports-assad")]
    [InlineData("The Syrian opposition should compromise", "al-bahra-hts-forcing-political-transition")]
    public void UnrelatedTextSharingCommonWordsScoresLow(string query, string key)
    {
        var match = Score(query, key);
        Assert.Equal(MatchKind.None, match.Kind);
        Assert.True(match.Similarity < 0.3, $"similarity {match.Similarity}");
    }

    [Fact]
    public void NoTwoDifferentSeedClaimsMatch()
    {
        foreach (var a in All.Values)
            foreach (var b in All.Values.Where(b => b != a))
                Assert.True(QuoteSimilarity.Score(a.Text, b.Text).Similarity < 0.3, $"{a.Id} vs {b.Id}");
    }

    [Theory]
    [InlineData("", ResistanceQuote)]
    [InlineData(ResistanceQuote, " … ")]
    public void TextWithoutWordsMatchesNothing(string query, string candidate) =>
        Assert.Equal(new QuoteMatch(0, MatchKind.None), QuoteSimilarity.Score(query, candidate));
}
