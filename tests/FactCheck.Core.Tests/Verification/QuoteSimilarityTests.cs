using FactCheck.Core.Verification;
using static FactCheck.Core.Tests.Verification.SeedArticle;

namespace FactCheck.Core.Tests.Verification;

public class QuoteSimilarityTests
{
    private static QuoteMatch Score(string query, string key) => QuoteSimilarity.Score(query, Get(key).Text);

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData(ResistanceQuote)]
    [InlineData("RESISTANCE groups will help, and Iran will provide any support needed!")]
    [InlineData("“Resistance groups will help and Iran will provide any support needed.”")]
    [InlineData("\"Resistance groups will help and Iran will provide any support needed.\"")]
    [InlineData("«Resistance groups  will help —\nand Irán will provide any support needed»")]
    public Task RePunctuatedRecasedRequotedAndReaccentedTextIsExact(string query) => Task.Run(() =>
        Assert.Equal(new QuoteMatch(1, MatchKind.Exact), Score(query, "araqchi-resistance-support")));

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task CurlyAndStraightApostrophesAreTheSame() => Task.Run(() =>
        Assert.Equal(MatchKind.Exact, QuoteSimilarity.Score("Syria's military was capable of confronting its opponents.", Get("araqchi-syrian-military-capable").Text).Kind));

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("Iran will provide any support needed")]
    [InlineData("resistance groups will help ... any support needed")]
    [InlineData("resistance groups will help […] Iran will provide any support needed")]
    [InlineData("“…groups will help and Iran will provide…”")]
    public Task TrimmedAndElidedQuotesAreWholeFragments(string query) => Task.Run(() =>
        Assert.Equal(new QuoteMatch(1, MatchKind.Fragment), Score(query, "araqchi-resistance-support")));

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task WordsChangedGiveANearMatch() => Task.Run(() =>
    {
        // would/will (function words, ¼ each) and give/provide (content): 6.75 of 8 in common.
        var match = Score("resistance groups would help and Iran will give any support needed", "araqchi-resistance-support");
        Assert.Equal(MatchKind.Near, match.Kind);
        Assert.Equal(0.84375, match.Similarity, 1e-9);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task ADroppedWordIsNearAndAContractionChangesNothing() => Task.Run(() =>
    {
        var match = Score("resistance groups will help and Iran will provide support needed", "araqchi-resistance-support");
        Assert.Equal(MatchKind.Near, match.Kind);
        Assert.Equal(7.75 / 8, match.Similarity, 1e-9);
        Assert.Equal(MatchKind.Exact, Score("We’re ready to start negotiating tomorrow", "al-bahra-ready-to-negotiate").Kind);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task OneContentWordChangedInAShortQuoteIsOnlyPartial() => Task.Run(() =>
    {
        var match = Score("We are ready to stop negotiating tomorrow", "al-bahra-ready-to-negotiate");
        Assert.Equal(MatchKind.Partial, match.Kind);
        Assert.Equal(3.75 / 4.75, match.Similarity, 1e-9);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("resistance groups will not help and Iran will provide any support needed")]
    [InlineData("resistance groups won't help and Iran will provide any support needed")]
    [InlineData("Iran will not provide any support needed")]
    public Task AnAddedNegationIsNeverACloseMatch(string query) => Task.Run(() =>
        Assert.Equal(MatchKind.Partial, Score(query, "araqchi-resistance-support").Kind));

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AChangedWordInAFragmentIsPartial() => Task.Run(() =>
    {
        var match = Score("Iran will give any support needed", "araqchi-resistance-support");
        Assert.Equal(MatchKind.Partial, match.Kind);
        Assert.Equal(3.5 / 4.5, match.Similarity, 1e-9);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AQueryLongerThanTheClaimIsPartial() => Task.Run(() =>
    {
        var match = QuoteSimilarity.Score("Resistance groups will help and Iran will provide any support needed", "Iran will provide any support needed");
        Assert.Equal(MatchKind.Partial, match.Kind);
        Assert.Equal(4.5 / 8, match.Similarity, 1e-9);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task ElidedSegmentsOutOfOrderAreNotAFragment() => Task.Run(() =>
        Assert.NotEqual(MatchKind.Fragment, Score("any support needed ... resistance groups will help", "araqchi-resistance-support").Kind));

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("Iran will help the Syrian army", "fidan-urges-opposition-compromise")]
    [InlineData("Iran will help the Syrian army", "araqchi-resistance-support")]
    [InlineData("Russia continues to support the Syrian president", "araqchi-resistance-support")]
    [InlineData("Russia continues to support the Syrian president", "fidan-urges-opposition-compromise")]
    [InlineData(ResistanceQuote, "peskov-russia-supports-assad")]
    [InlineData("The Syrian opposition should compromise", "al-bahra-hts-forcing-political-transition")]
    public Task UnrelatedTextSharingCommonWordsScoresLow(string query, string key) => Task.Run(() =>
    {
        var match = Score(query, key);
        Assert.Equal(MatchKind.None, match.Kind);
        Assert.True(match.Similarity < 0.3, $"similarity {match.Similarity}");
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task NoTwoDifferentSeedClaimsMatch() => Task.Run(() =>
    {
        foreach (var a in All.Values)
            foreach (var b in All.Values.Where(b => b != a))
                Assert.True(QuoteSimilarity.Score(a.Text, b.Text).Similarity < 0.3, $"{a.Id} vs {b.Id}");
    });

    /// <summary>The overlap that scores one tune case more at a PARTIAL ratio of 0.35 (<see cref="MatchThresholds.Partial"/>):
    /// a place, a day and function words.</summary>
    [Fact(Timeout = TestTimeouts.Unit)]
    public Task APlaceAndADayInCommonAreNoOverlapAtTheRatioInUse() => Task.Run(() =>
    {
        var query = QuoteSimilarity.Prepare("Russia fired its top commander in Syria on Sunday.");
        var claim = Get("war-bloggers-general-dismissed").Text;
        Assert.Equal(MatchKind.None, QuoteSimilarity.Score(query, claim, MatchThresholds.Default).Kind);
        var lower = QuoteSimilarity.Score(query, claim, MatchThresholds.Default with { Partial = 0.35 });
        Assert.Equal(MatchKind.Partial, lower.Kind);
        Assert.InRange(lower.Similarity, 0.35, MatchThresholds.Default.Partial);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AFragmentNeedsTheFewestWordsAndTheRatioItIsGiven() => Task.Run(() =>
    {
        var query = QuoteSimilarity.Prepare("capable of confronting its opponents");
        var claim = Get("araqchi-syrian-military-capable").Text;
        Assert.Equal(new QuoteMatch(1, MatchKind.Fragment), QuoteSimilarity.Score(query, claim, MatchThresholds.Default));
        Assert.NotEqual(MatchKind.Fragment, QuoteSimilarity.Score(query, claim, MatchThresholds.Default with { MinFragmentWords = 6 }).Kind);

        // A word changed in a cut of the claim: a fragment by its fitting ratio (NEAR is kept out of the way).
        var changed = QuoteSimilarity.Prepare("resistance groups will help and Iran will offer any support");
        var resistance = Get("araqchi-resistance-support").Text;
        var fit = QuoteSimilarity.Score(changed, resistance, MatchThresholds.Default with { Near = 1.0 });
        Assert.Equal(MatchKind.Fragment, fit.Kind);
        Assert.True(fit.Similarity < 1, $"similarity {fit.Similarity}");
        var stricter = MatchThresholds.Default with { Near = 1.0, Fragment = fit.Similarity + 0.01 };
        Assert.Equal(MatchKind.Partial, QuoteSimilarity.Score(changed, resistance, stricter).Kind);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("", ResistanceQuote)]
    [InlineData(ResistanceQuote, " … ")]
    public Task TextWithoutWordsMatchesNothing(string query, string candidate) => Task.Run(() =>
        Assert.Equal(new QuoteMatch(0, MatchKind.None), QuoteSimilarity.Score(query, candidate)));
}
