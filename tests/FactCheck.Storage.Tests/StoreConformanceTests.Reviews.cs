using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Reviews;

namespace FactCheck.Storage.Tests;

/// <summary>Reviews: never edited, each superseding the claim's previous one and setting the claim's status.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Adding_a_review_stores_it_sets_the_claim_status_bumps_its_version_and_appends_review_then_claim_events()
    {
        var claim = await CreateAsync(NewClaim("The economy grew by five percent last year.") with { Appearances = [NewAppearance("Dawn")] });
        var createTime = StoredNow();
        Clock.Advance(TimeSpan.FromHours(1));
        var audit = new AuditContext("reviewer-1", AuditActions.ReviewCreate, "checked the statistics office", "request-5");
        // The store sets the create time and what it supersedes, whatever the caller passed.
        var draft = NewReview(claim.Id, ReviewVerdict.False) with
        {
            Explanation = "The statistics office reported 1.2%.",
            EvidenceUrls = ["https://example.org/stats", "https://example.org/report"],
            CreateTime = Start.AddYears(-1),
            SupersedesId = "not-a-review",
        };

        var (review, reviewed) = await Store.Reviews.AddReviewAsync(draft, audit, Ct);

        AssertSameContent(draft with { CreateTime = StoredNow(), SupersedesId = null }, review);
        AssertSameContent(claim with { Status = VerificationStatus.Disputed, Version = 2, UpdateTime = StoredNow() }, reviewed);
        AssertSameContent(reviewed, await Store.Claims.GetClaimAsync(claim.Id, Ct));
        var listed = Assert.Single(await Store.Reviews.ListReviewsAsync(claim.Id, 0, 10, Ct));
        AssertSameContent(review, listed.Item);
        Assert.True(listed.Sequence > 0);
        await AssertAuditLogAsync(
            Expect(TestAudit, claim.ResourceName, null, AuditSnapshots.Of(claim), createTime),
            Expect(audit, review.ResourceName, null, AuditSnapshots.Of(review), StoredNow(), AuditActions.ReviewCreate),
            Expect(audit, claim.ResourceName, AuditSnapshots.Of(claim), AuditSnapshots.Of(reviewed), StoredNow(), AuditActions.ClaimUpdate));
        Assert.Equal($"claims/{claim.Id}/reviews/{review.Id}", review.ResourceName);
        Assert.Single(await Store.Audit.ListAuditEventsAsync(new AuditFilter { ResourceName = review.ResourceName }, 0, 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_review_bumps_the_claim_version_so_an_update_at_the_version_before_it_conflicts()
    {
        var claim = await CreateAsync(NewClaim("Original."));
        await Store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Accurate), TestAudit, Ct);

        await Assert.ThrowsAsync<VersionConflictException>(() => Store.Claims.UpdateClaimAsync(claim with { Text = "Edited." }, claim.Version, TestAudit, Ct));

        var stored = await Store.Claims.GetClaimAsync(claim.Id, Ct);
        Assert.Equal(("Original.", 2L, VerificationStatus.Verified), (stored!.Text, stored.Version, stored.Status));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Each_review_supersedes_the_claims_previous_one_and_reviews_list_newest_first_in_pages()
    {
        var claim = await CreateAsync(NewClaim("Reviewed three times."));
        var other = await CreateAsync(NewClaim("Reviewed once."));

        var (r1, _) = await Store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Accurate), TestAudit, Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var (otherReview, _) = await Store.Reviews.AddReviewAsync(NewReview(other.Id, ReviewVerdict.Misattributed), TestAudit, Ct);
        var (r2, _) = await Store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Misquoted), TestAudit, Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var (r3, reviewed) = await Store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Unverifiable), TestAudit, Ct);

        Assert.Equal(new string?[] { null, r1.Id, r2.Id }, new[] { r1, r2, r3 }.Select(r => r.SupersedesId));
        Assert.Null(otherReview.SupersedesId);
        Assert.Equal((VerificationStatus.Unverifiable, 4L), (reviewed.Status, reviewed.Version));
        var page = await Store.Reviews.ListReviewsAsync(claim.Id, 0, 2, Ct);
        var next = await Store.Reviews.ListReviewsAsync(claim.Id, page[^1].Sequence, 2, Ct);
        AssertSameContent(new[] { r3, r2 }, page.Select(r => r.Item).ToArray());
        AssertSameContent(new[] { r1 }, next.Select(r => r.Item).ToArray());
        Assert.True(page[0].Sequence > page[1].Sequence && page[1].Sequence > next[0].Sequence);
        Assert.Empty(await Store.Reviews.ListReviewsAsync(claim.Id, next[^1].Sequence, 2, Ct));
        AssertSameContent(new[] { otherReview }, (await Store.Reviews.ListReviewsAsync(other.Id, 0, 10, Ct)).Select(r => r.Item).ToArray());
        Assert.Empty(await Store.Reviews.ListReviewsAsync(ResourceNames.NewId(), 0, 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Each_verdict_gives_the_claim_its_status()
    {
        var claim = await CreateAsync(NewClaim("Reviewed with every verdict."));
        foreach (var verdict in Enum.GetValues<ReviewVerdict>().Where(v => v != ReviewVerdict.Unspecified))
        {
            var (_, reviewed) = await Store.Reviews.AddReviewAsync(NewReview(claim.Id, verdict), TestAudit, Ct);

            Assert.Equal(Review.StatusFor(verdict), reviewed.Status);
            Assert.Equal(Review.StatusFor(verdict), (await Store.Claims.GetClaimAsync(claim.Id, Ct))!.Status);
        }
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Reviewing_a_claim_that_does_not_exist_or_was_deleted_is_not_found_and_changes_nothing()
    {
        var deleted = await CreateAsync(NewClaim("Deleted."));
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Clock.GetUtcNow(), TestAudit, Ct);
        var log = await ReadAuditLogAsync();
        var missingId = ResourceNames.NewId();

        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Store.Reviews.AddReviewAsync(NewReview(missingId, ReviewVerdict.False), TestAudit, Ct));
        var gone = await Assert.ThrowsAsync<NotFoundException>(() => Store.Reviews.AddReviewAsync(NewReview(deleted.Id, ReviewVerdict.False), TestAudit, Ct));

        Assert.Equal(ResourceNames.Claim(missingId), missing.ResourceName);
        Assert.Equal(deleted.ResourceName, gone.ResourceName);
        Assert.Empty(await Store.Reviews.ListReviewsAsync(deleted.Id, 0, 10, Ct));
        AssertSameContent(log, await ReadAuditLogAsync());
    }
}
