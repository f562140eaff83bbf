using FactCheck.Core.Speakers;
using static FactCheck.Core.Tests.Speakers.ArticleSpeakers;

namespace FactCheck.Core.Tests.Speakers;

public class SpeakerNameKeysTests
{
    // Every query the matcher tests expect to find a speaker with.
    public static TheoryData<string, string> ResolvableQueries => new()
    {
        { "Abbas Araqchi", "araqchi" }, { "ABBÁS ARÁQCHI", "araqchi" }, { "Abbas Araghchi", "araqchi" },
        { "Araqchi", "araqchi" }, { "Araghchi", "araqchi" }, { "Arakchi", "araqchi" },
        { "Iranian Foreign Minister Abbas Araqchi", "araqchi" }, { "Iranian foreign minister", "araqchi" },
        { "Iran's foreign minister", "araqchi" }, { "Abbas Fidan", "araqchi" },
        { "President Bashar Al Assad", "assad" }, { "Bashar Assad", "assad" }, { "Assad Bashar", "assad" },
        { "Syrian president", "assad" }, { "Syrian president", "bahra" },
        { "Hadi al-Bahra", "bahra" }, { "Bahra", "bahra" }, { "Syrian opposition leader Hadi Al Bahra", "bahra" },
        { "Dmitri Peskow", "peskov" }, { "Kremlin spokesperson", "peskov" },
        { "Fidan", "fidan" }, { "Fidam", "fidan" }, { "Hakan", "fidan" }, { "Hakan Smith", "fidan" },
        { "foreign minister Fidan", "fidan" }, { "Turkish Foreign Minister", "fidan" },
        { "White Helmets", "white-helmets" }, { "Syria Civil Defence", "white-helmets" },
    };

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(ResolvableQueries))]
    public Task QuerySharesAKeyWithTheSpeakerItResolvesTo(string query, string id) => Task.Run(() =>
    {
        var speaker = All.Single(s => s.Id == id);
        Assert.NotNull(SpeakerNameMatcher.Match(query, speaker, null));
        Assert.NotEmpty(SpeakerNameKeys.ForQuery(query).Intersect(SpeakerNameKeys.For(speaker)));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task EverySpeakerThatMatchesAQuerySharesAKeyWithIt() => Task.Run(() =>
    {
        var queries = ResolvableQueries.Select(row => (string)row[0])
            .Concat(["Syria", "minister", "the government", "Peskof", "Kadhafi", "Russia"]);
        foreach (var query in queries)
            foreach (var speaker in All.Where(s => SpeakerNameMatcher.Match(query, s, null) is not null))
                Assert.True(SpeakerNameKeys.ForQuery(query).Intersect(SpeakerNameKeys.For(speaker)).Any(), $"{query} / {speaker.Id}");
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task SpeakerKeysCoverNameTokensSkeletonsPrefixesAndRoleStems() => Task.Run(() =>
    {
        string[] expected =
        [
            "t:abbas", "s:abs", "p:abba", "t:araqchi", "s:arkx", "p:araq", "t:araghchi", "p:arag",
            "r:foreign", "r:fore", "r:minister", "r:mini", "r:iran",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), SpeakerNameKeys.For(Araqchi).Order(StringComparer.Ordinal));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task NationalityAdjectiveMeetsTheCountryThroughTheRoleStem() => Task.Run(() =>
    {
        Assert.Contains("r:turk", SpeakerNameKeys.ForQuery("Turkish").Intersect(SpeakerNameKeys.For(Fidan)));
        Assert.Contains("r:iran", SpeakerNameKeys.ForQuery("Iranian").Intersect(SpeakerNameKeys.For(Araqchi)));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task StopWordsAreNotKeys() => Task.Run(() =>
    {
        Assert.DoesNotContain("t:the", SpeakerNameKeys.For(WhiteHelmets));
        Assert.DoesNotContain("r:of", SpeakerNameKeys.For(Bahra));
        Assert.Empty(SpeakerNameKeys.ForQuery("Smith").Intersect(SpeakerNameKeys.For(WhiteHelmets)));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task KeysAreAtMost64CharactersAndLongTokensStillMeet() => Task.Run(() =>
    {
        var longName = new string('x', 100) + " " + new string('y', 70);
        var speaker = new Speaker { Id = "long", DisplayName = longName };
        var keys = SpeakerNameKeys.For(speaker);
        Assert.All(keys, k => Assert.InRange(k.Length, 3, SpeakerNameKeys.MaxKeyLength));
        Assert.Contains("t:" + new string('x', 62), keys);
        Assert.NotEmpty(SpeakerNameKeys.ForQuery(longName).Intersect(keys));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task EmptyQueryHasNoKeys() => Task.Run(() => Assert.Empty(SpeakerNameKeys.ForQuery(" , ")));
}
