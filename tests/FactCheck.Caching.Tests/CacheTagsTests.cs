using FactCheck.Core.Claims;
using FactCheck.Core.Events;
using FactCheck.Core.Reviews;
using Proto = FactCheck.V1;

namespace FactCheck.Caching.Tests;

/// <summary>Every cached answer must be filed under a tag that each change able to alter it bumps.</summary>
public class CacheTagsTests
{
    private static Claim ClaimBy(string? speakerId, string id = "c1") =>
        new() { Id = id, SpeakerId = speakerId, Text = "words", LanguageCode = "en" };

    private static IReadOnlyCollection<string> Bumped(params DomainEvent[] events) => CacheTags.BumpedBy(events);

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ANewClaimBumpsItselfItsSpeakersListingAndVerdictsButNoSpeaker() => Task.Run(() =>
    {
        var bumped = Bumped(new ClaimChanged(null, ClaimBy("s1")));

        Assert.Equal(new HashSet<string> { ResponseKeys.Claim("c1").Tag, ResponseKeys.SpeakerClaimsFirstPage("s1", 50).Tag, ResponseKeys.Verdict(new Proto.VerifyAttributionRequest()).Tag },
            bumped.ToHashSet());
        Assert.DoesNotContain(ResponseKeys.Speaker("s1").Tag, bumped);
        Assert.DoesNotContain(ResponseKeys.Resolution(new Proto.ResolveSpeakerRequest()).Tag, bumped);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task MovingAClaimToAnotherSpeakerBumpsBothSpeakersListings() => Task.Run(() =>
    {
        var bumped = Bumped(new ClaimChanged(ClaimBy("s1"), ClaimBy("s2")));

        Assert.Contains(ResponseKeys.SpeakerClaimsFirstPage("s1", 10).Tag, bumped);
        Assert.Contains(ResponseKeys.SpeakerClaimsFirstPage("s2", 10).Tag, bumped);
        Assert.DoesNotContain(ResponseKeys.SpeakerClaimsFirstPage("s3", 10).Tag, bumped);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AClaimWithNoSpeakerBumpsNoListing() => Task.Run(() =>
    {
        var bumped = Bumped(new ClaimChanged(ClaimBy(null), ClaimBy(null)));

        Assert.Equal(new HashSet<string> { ResponseKeys.Claim("c1").Tag, ResponseKeys.Verdict(new Proto.VerifyAttributionRequest()).Tag }, bumped.ToHashSet());
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AReviewBumpsTheClaimItsListingAndVerdicts() => Task.Run(() =>
    {
        var review = new Review { Id = "r1", ClaimId = "c1", Reviewer = "desk", Explanation = "checked" };

        var bumped = Bumped(new ReviewAdded(review, ClaimBy("s1"), ClaimBy("s1") with { Status = VerificationStatus.Verified }));

        Assert.Contains(ResponseKeys.Claim("c1").Tag, bumped);
        Assert.Contains(ResponseKeys.SpeakerClaimsFirstPage("s1", 50).Tag, bumped);
        Assert.Contains(ResponseKeys.Verdict(new Proto.VerifyAttributionRequest { Text = "any" }).Tag, bumped);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ASpeakerChangeBumpsTheSpeakerEveryResolutionAndEveryVerdict() => Task.Run(() =>
    {
        var bumped = Bumped(new SpeakerChanged("s1"));

        Assert.Contains(ResponseKeys.Speaker("s1").Tag, bumped);
        Assert.DoesNotContain(ResponseKeys.Speaker("s2").Tag, bumped);
        Assert.Contains(ResponseKeys.Resolution(new Proto.ResolveSpeakerRequest { Query = "anyone" }).Tag, bumped);
        Assert.Contains(ResponseKeys.Verdict(new Proto.VerifyAttributionRequest { Text = "any" }).Tag, bumped);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ARevokedKeyBumpsNothingSinceNoCachedAnswerDependsOnKeys() => Task.Run(() =>
        Assert.Empty(Bumped(new ApiKeyRevoked("k1"))));

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ABatchOfEventsBumpsTheUnionOnce() => Task.Run(() =>
    {
        var bumped = Bumped(new ClaimChanged(null, ClaimBy("s1", "c1")), new ClaimChanged(null, ClaimBy("s1", "c2")));

        Assert.Equal(4, bumped.Count); // two claims, one listing, verdicts
        Assert.Contains(ResponseKeys.Claim("c2").Tag, bumped);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task AnEventWithNoMappingIsRefusedRatherThanSilentlyLeavingAnswersStale() => Task.Run(() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Bumped(new UnmappedEvent())));

    private sealed record UnmappedEvent : DomainEvent;
}
