using FactCheck.Core.Speakers;

namespace FactCheck.Core.Tests.Speakers;

public class StringSimilarityTests
{
    [Theory(Timeout = TestTimeouts.Unit)]
    // Reference values from Winkler (1990) as quoted in the literature.
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.840)]
    [InlineData("dixon", "dicksonx", 0.813)]
    [InlineData("araqchi", "araqchy", 0.943)]
    public Task JaroWinklerMatchesKnownValues(string a, string b, double expected) => Task.Run(() =>
    {
        Assert.Equal(expected, StringSimilarity.JaroWinkler(a, b), 3);
        Assert.Equal(expected, StringSimilarity.JaroWinkler(b, a), 3);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task IdenticalStringsAreFullySimilar() => Task.Run(() => Assert.Equal(1.0, StringSimilarity.JaroWinkler("fidan", "fidan")));

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("abc", "xyz")]
    [InlineData("abc", "")]
    public Task StringsWithoutCommonLettersAreNotSimilar(string a, string b) => Task.Run(() => Assert.Equal(0.0, StringSimilarity.JaroWinkler(a, b)));
}
