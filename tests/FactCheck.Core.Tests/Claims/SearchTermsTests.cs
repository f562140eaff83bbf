using FactCheck.Core.Claims;

namespace FactCheck.Core.Tests.Claims;

public sealed class SearchTermsTests
{
    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("In the coming WEEKS", new[] { "coming", "weeks" })]
    [InlineData("Iran's support, for the resistance", new[] { "iran", "s", "support", "resistance" })]
    [InlineData("talks talks Talks", new[] { "talks" })]
    [InlineData("to be or not to be", new[] { "not" })]
    [InlineData("The Who", new[] { "the", "who" })]
    [InlineData(" ... ", new string[0])]
    public Task Terms_are_the_distinct_lower_case_words_without_function_words_unless_nothing_else_is_left(string query, string[] expected) => Task.Run(() =>
        Assert.Equal(expected, ClaimRegistry.SearchTerms(query)));
}
