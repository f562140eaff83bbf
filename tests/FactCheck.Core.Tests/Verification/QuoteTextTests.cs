using FactCheck.Core.Verification;

namespace FactCheck.Core.Tests.Verification;

public class QuoteTextTests
{
    [Theory]
    [InlineData("Iran will provide any support needed", "iran will provide any support needed")]
    [InlineData("IRAN  will\tprovide\nany support, needed!", "iran will provide any support needed")]
    [InlineData("“Iran will provide” — any support needed…", "iran will provide any support needed")]
    [InlineData("«Iran will provide – any „support” needed»", "iran will provide any support needed")]
    [InlineData("Türkiye’s Erdoğan said: ‘Ça va’", "turkiye erdogan said ca va")]
    [InlineData("Syria’s military", "syria military")]
    [InlineData("Syria's military", "syria military")]
    [InlineData("pro-Assad forces", "pro assad forces")]
    public void WordsIgnoreCasePunctuationQuotesDashesWhitespaceAndDiacritics(string text, string expected) =>
        Assert.Equal(expected.Split(' '), QuoteText.Words(text));

    [Theory]
    [InlineData("We’re ready", "we are ready")]
    [InlineData("we don't know", "we do not know")]
    [InlineData("We won’t go and can't stay, we cannot", "we will not go and can not stay we can not")]
    [InlineData("I’m sure they’ll say we’d have", "i am sure they will say we would have")]
    [InlineData("the ‘re-election’ they`ve won", "the re election they have won")]
    public void ContractionsAreExpanded(string text, string expected) =>
        Assert.Equal(expected.Split(' '), QuoteText.Words(text));

    [Theory]
    [InlineData("resistance groups will help ... any support needed")]
    [InlineData("resistance groups will help...any support needed")]
    [InlineData("resistance groups will help . . . any support needed")]
    [InlineData("resistance groups will help … any support needed")]
    [InlineData("resistance groups will help [...] any support needed")]
    [InlineData("resistance groups will help […] any support needed")]
    [InlineData("…resistance groups will help (...) any support needed...")]
    public void ElisionsSplitSegments(string text)
    {
        var segments = QuoteText.Segments(text);
        Assert.Equal(2, segments.Count);
        Assert.Equal(["resistance", "groups", "will", "help"], segments[0]);
        Assert.Equal(["any", "support", "needed"], segments[1]);
        Assert.Equal([.. segments[0], .. segments[1]], QuoteText.Words(text));
    }

    [Theory]
    [InlineData("Mr. Smith. Then U.S. forces left.")]
    [InlineData("It ended.. and began")]
    public void SingleAndDoubleDotsAreNotElisions(string text) => Assert.Single(QuoteText.Segments(text));

    [Fact]
    public void TextWithoutWordsHasNoSegments() => Assert.Empty(QuoteText.Segments(" … “ ” -- "));
}
