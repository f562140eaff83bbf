using FactCheck.Core.Verification;

namespace FactCheck.Core.Tests.Verification;

public class PolarityTests
{

    private static bool Opposed(string a, string b, bool parity = false) => Polarity.Opposed(Polarity.Of(a), Polarity.Of(b), parity);

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("resistance groups will help", "resistance groups will not help")]
    [InlineData("resistance groups will help", "resistance groups won't help")]
    [InlineData("Iran will provide any support needed", "Iran will never provide support")]
    [InlineData("Iran will provide any support needed", "Iran refused to provide any support")]
    [InlineData("Iran will provide any support needed", "Iran will withhold any support")]
    [InlineData("Russia continues to support the Syrian president", "Russia no longer supports the Syrian president")]
    [InlineData("Russia continues to support the Syrian president", "Russia has stopped supporting the Syrian president")]
    [InlineData("Russia continues to support the Syrian president", "Russia opposes the Syrian president")]
    [InlineData("Syria's military was capable of confronting its opponents", "Syria's military was incapable of confronting its opponents")]
    [InlineData("the talks took place before the advance", "the talks took place after the advance")]
    [InlineData("Moscow dismissed the general", "Moscow denied dismissing the general")]
    [InlineData("seven people were killed", "no one was killed")]
    public Task OppositesAreFound(string said, string opposite) => Task.Run(() =>
    {
        Assert.True(Opposed(said, opposite));
        Assert.True(Opposed(opposite, said));
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("resistance groups will help and Iran will provide any support needed", "Iran will provide any support needed")]
    [InlineData("The HTS advances could not be explained by foreign intervention", "Foreign interference does not explain the advances made by HTS")]
    [InlineData("Russia continues to support the Syrian president", "Russia has not stopped supporting the Syrian president")]
    [InlineData("crossed late on Sunday using a dirt road to avoid the official border crossing", "entered Syria on Sunday night bypassing the official border crossing")]
    public Task AgreeingTextsAreNotOpposed(string said, string agreeing) => Task.Run(() =>
    {
        Assert.False(Opposed(said, agreeing, parity: true));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task NegationParityCountsOnlyWhenAsked() => Task.Run(() =>
    {
        Assert.False(Opposed("seven people died in the camp", "the camp had no casualties"));
        Assert.True(Opposed("seven people died in the camp", "the camp had no casualties", parity: true));
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("provide", "provided", "providing", "provides")]
    [InlineData("support", "supported", "supporting", "supports")]
    [InlineData("dismiss", "dismissed", "dismissing", "dismisses")]
    public Task InflectionsShareAStem(string a, string b, string c, string d) => Task.Run(() =>
    {
        Assert.Single(new[] { a, b, c, d }.Select(Polarity.Stem).Distinct());
    });
}
