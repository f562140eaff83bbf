using FactCheck.Core.Verification;

namespace FactCheck.Core.Tests.Verification;

public class AttributionTextTests
{
    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("Iraqi security sources", "two Iraqi security sources", 1.0)]
    [InlineData("an Iraqi security source", "two Iraqi security sources", 1.0)]
    [InlineData("Syrian military sources", "a senior Syrian military source", 1.0)]
    [InlineData("a senior Syrian military source", "two Iraqi security sources", 0.25)]
    [InlineData("Kremlin spokesperson", "Kremlin spokesperson Dmitry Peskov", 1.0)]
    [InlineData("John Smith", "two Iraqi security sources", 0.0)]
    [InlineData("sources", null, 0.0)]
    public Task CoverageIsTheShareOfTheClaimedWordsInTheRecord(string claimed, string? recorded, double expected) => Task.Run(() =>
    {
        Assert.Equal(expected, AttributionText.Coverage(claimed, recorded), 3);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("“We are ready to start negotiating tomorrow.”", true)]
    [InlineData("\"We are ready to start negotiating tomorrow\".", true)]
    [InlineData("«Nous sommes prêts»", true)]
    [InlineData("We are ready to start negotiating tomorrow.", false)]
    [InlineData("He said “we are ready” and left", false)]
    public Task QuotedTextIsPresentedAsTheSpeakersOwnWords(string text, bool quoted) => Task.Run(() =>
    {
        Assert.Equal(quoted, QuoteText.IsQuoted(text));
    });
}
