using FactCheck.Core.Speakers;

namespace FactCheck.Core.Tests.Speakers;

public class StringSimilarityTests
{
    [Theory]
    // Reference values from Winkler (1990) as quoted in the literature.
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.840)]
    [InlineData("dixon", "dicksonx", 0.813)]
    [InlineData("araqchi", "araqchy", 0.943)]
    public void JaroWinklerMatchesKnownValues(string a, string b, double expected)
    {
        Assert.Equal(expected, StringSimilarity.JaroWinkler(a, b), 3);
        Assert.Equal(expected, StringSimilarity.JaroWinkler(b, a), 3);
    }

    [Fact]
    public void IdenticalStringsAreFullySimilar() => Assert.Equal(1.0, StringSimilarity.JaroWinkler("fidan", "fidan"));

    [Theory]
    [InlineData("abc", "xyz")]
    [InlineData("abc", "")]
    public void StringsWithoutCommonLettersAreNotSimilar(string a, string b) => Assert.Equal(0.0, StringSimilarity.JaroWinkler(a, b));
}
