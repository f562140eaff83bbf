using System.Text;
using FactCheck.Core.Verification;
using static FactCheck.Core.Tests.Verification.SeedArticle;

namespace FactCheck.Core.Tests.Verification;

public class QuoteShinglesTests
{
    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public Task Fnv1aMatchesThePublishedTestVectors(string input, ulong expected) => Task.Run(() =>
        Assert.Equal(expected, QuoteShingles.Fnv1a64(Encoding.UTF8.GetBytes(input))));

    // Stored keys must not change between processes, platforms or releases without a Version bump.
    [Fact(Timeout = TestTimeouts.Unit)]
    public Task HashesArePinned() => Task.Run(() =>
    {
        Assert.Equal(3224374034064703023L, QuoteShingles.Hash("are ready"));
        Assert.Equal(
            [3224374034064703023L, -3724831498391255834L, -5268451067341175265L, 512321345706067776L, -2268414985916646026L],
            QuoteShingles.For("We are ready to start negotiating tomorrow"));
        Assert.Equal([-129654594943965360L], QuoteShingles.For("Never!"));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task PairsOfFunctionWordsAreSkippedUnlessNothingElseRemains() => Task.Run(() =>
    {
        // "we are" is skipped; are-ready, ready-to, to-start, start-negotiating, negotiating-tomorrow remain.
        Assert.Equal(5, QuoteShingles.For("We are ready to start negotiating tomorrow").Count);
        Assert.Equal([QuoteShingles.Hash("we are")], QuoteShingles.For("We are."));
        Assert.Equal([QuoteShingles.Hash("never")], QuoteShingles.For("Never."));
        Assert.Empty(QuoteShingles.For(" — … "));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task PairsDoNotSpanElisions() => Task.Run(() =>
    {
        var keys = QuoteShingles.For("resistance groups will help ... any support needed");
        Assert.Equal(5, keys.Count);
        Assert.DoesNotContain(QuoteShingles.Hash("help any"), keys);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData(ResistanceQuote, "araqchi-resistance-support")]
    [InlineData("RESISTANCE groups will help, and Iran will provide any support needed!", "araqchi-resistance-support")]
    [InlineData("“Resistance groups will help – and Iran will provide any support needed”", "araqchi-resistance-support")]
    [InlineData("Iran will provide any support needed", "araqchi-resistance-support")]
    [InlineData("resistance groups will help ... any support needed", "araqchi-resistance-support")]
    [InlineData("resistance groups would help and Iran will give any support needed", "araqchi-resistance-support")]
    [InlineData("We are ready to start negotiating tomorrow", "al-bahra-ready-to-negotiate")]
    [InlineData("We’re ready to start negotiating", "al-bahra-ready-to-negotiate")]
    [InlineData("Syria's military was capable of confronting its opponents", "araqchi-syrian-military-capable")]
    [InlineData("Russia continues to support the Syrian president", "peskov-russia-supports-assad")]
    public Task QueryKeysMeetTheMatchingClaimsKeys(string query, string key) => Task.Run(() =>
    {
        var shared = QuoteShingles.For(query).Intersect(QuoteShingles.For(Get(key).Text)).Count();
        Assert.True(shared >= 2, $"only {shared} shared keys");
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task UnrelatedClaimsShareNoKeys() => Task.Run(() =>
    {
        var query = QuoteShingles.For(ResistanceQuote);
        foreach (var claim in All.Values.Where(c => c.Id != "araqchi-resistance-support"))
            Assert.Empty(query.Intersect(QuoteShingles.For(claim.Text)));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task LongTextIsBoundedAndEveryLongishFragmentStillMeetsIt() => Task.Run(() =>
    {
        var text = LongText(out var words);
        Assert.True(text.Length >= 10_000);
        Assert.True(words.Zip(words.Skip(1)).Distinct().Count() > 4 * QuoteShingles.MaxPerText);
        var keys = QuoteShingles.For(text).ToHashSet();
        Assert.InRange(keys.Count, QuoteShingles.MaxPerText / 2, QuoteShingles.MaxPerText);

        // Winnowing guarantees a shared key for any run of at least w pairs (w ≈ 13 here); 30 words is ample.
        for (var start = 0; start + 30 <= words.Count; start += 7)
        {
            var fragment = string.Join(' ', words.Skip(start).Take(30));
            Assert.True(QuoteShingles.For(fragment).Any(keys.Contains), $"fragment at word {start} shares no key");
        }
        Assert.Equal(keys, QuoteShingles.For(text).ToHashSet());
    });

    // ~1,800 words drawn pseudo-randomly from the seed article's vocabulary, so nearly every pair is distinct.
    private static string LongText(out List<string> words)
    {
        var vocabulary = All.Values.SelectMany(c => QuoteText.Words(c.Text)).Distinct().Order(StringComparer.Ordinal).ToList();
        var state = 12345u;
        words = [];
        while (words.Sum(w => w.Length + 1) < 10_000)
        {
            state = state * 1664525 + 1013904223;
            words.Add(vocabulary[(int)(state >> 8) % vocabulary.Count]);
        }
        return string.Join(' ', words);
    }
}
