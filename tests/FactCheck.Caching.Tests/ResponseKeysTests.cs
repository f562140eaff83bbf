using Proto = FactCheck.V1;

namespace FactCheck.Caching.Tests;

public class ResponseKeysTests
{
    [Fact(Timeout = TestTimeouts.Store)]
    public Task EqualRequestsShareAKeyAndAnyDifferentFieldMakesAnother() => Task.Run(() =>
    {
        var request = new Proto.VerifyAttributionRequest { Text = "the border stays open", Speaker = "Hakan Fidan" };

        Assert.Equal(ResponseKeys.Verdict(request), ResponseKeys.Verdict(request.Clone()));
        Assert.NotEqual(ResponseKeys.Verdict(request).Key, ResponseKeys.Verdict(new Proto.VerifyAttributionRequest(request) { MaxMatches = 3 }).Key);
        Assert.NotEqual(ResponseKeys.Resolution(new Proto.ResolveSpeakerRequest { Query = "Fidan" }).Key,
            ResponseKeys.Resolution(new Proto.ResolveSpeakerRequest { Query = "Fidan", MaxCandidates = 1 }).Key);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task FirstPagesOfOneSpeakerAreKeptPerPageSizeUnderOneTag() => Task.Run(() =>
    {
        var small = ResponseKeys.SpeakerClaimsFirstPage("s1", 10);
        var large = ResponseKeys.SpeakerClaimsFirstPage("s1", 50);

        Assert.NotEqual(small.Key, large.Key);
        Assert.Equal(small.Tag, large.Tag);
        Assert.NotEqual(small.Tag, ResponseKeys.SpeakerClaimsFirstPage("s2", 10).Tag);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AClaimAndASpeakerWithTheSameIdNeverShareAKey() => Task.Run(() =>
        Assert.NotEqual(ResponseKeys.Claim("x1").Key, ResponseKeys.Speaker("x1").Key));
}
