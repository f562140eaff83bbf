using FactCheck.Core.Verification;

namespace FactCheck.Core.Tests.Verification;

public class QuoteTextTests
{
    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("Iran will provide any support needed", "iran will provide any support needed")]
    [InlineData("IRAN  will\tprovide\nany support, needed!", "iran will provide any support needed")]
    [InlineData("“Iran will provide” — any support needed…", "iran will provide any support needed")]
    [InlineData("«Iran will provide – any „support” needed»", "iran will provide any support needed")]
    [InlineData("Türkiye’s Erdoğan said: ‘Ça va’", "turkiye erdogan said ca va")]
    [InlineData("Syria’s military", "syria military")]
    [InlineData("Syria's military", "syria military")]
    [InlineData("pro-Assad forces", "pro assad forces")]
    public Task WordsIgnoreCasePunctuationQuotesDashesWhitespaceAndDiacritics(string text, string expected) => Task.Run(() =>
        Assert.Equal(expected.Split(' '), QuoteText.Words(text)));

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("We’re ready", "we are ready")]
    [InlineData("we don't know", "we do not know")]
    [InlineData("We won’t go and can't stay, we cannot", "we will not go and can not stay we can not")]
    [InlineData("I’m sure they’ll say we’d have", "i am sure they will say we would have")]
    [InlineData("the ‘re-election’ they`ve won", "the re election they have won")]
    public Task ContractionsAreExpanded(string text, string expected) => Task.Run(() =>
        Assert.Equal(expected.Split(' '), QuoteText.Words(text)));

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("resistance groups will help ... any support needed")]
    [InlineData("resistance groups will help...any support needed")]
    [InlineData("resistance groups will help . . . any support needed")]
    [InlineData("resistance groups will help … any support needed")]
    [InlineData("resistance groups will help [...] any support needed")]
    [InlineData("resistance groups will help […] any support needed")]
    [InlineData("…resistance groups will help (...) any support needed...")]
    public Task ElisionsSplitSegments(string text) => Task.Run(() =>
    {
        var segments = QuoteText.Segments(text);
        Assert.Equal(2, segments.Count);
        Assert.Equal(["resistance", "groups", "will", "help"], segments[0]);
        Assert.Equal(["any", "support", "needed"], segments[1]);
        Assert.Equal([.. segments[0], .. segments[1]], QuoteText.Words(text));
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("Mr. Smith. Then U.S. forces left.")]
    [InlineData("It ended.. and began")]
    public Task SingleAndDoubleDotsAreNotElisions(string text) => Task.Run(() => Assert.Single(QuoteText.Segments(text)));

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task TextWithoutWordsHasNoSegments() => Task.Run(() => Assert.Empty(QuoteText.Segments(" … “ ” -- ")));
}
