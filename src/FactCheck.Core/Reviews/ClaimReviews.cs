namespace FactCheck.Core.Reviews;

/// <summary>Reviewers' verdicts on claims: each new review supersedes the last and sets the claim's status.</summary>
public sealed class ClaimReviews(IReviewStore store, IClaimStore claims, PageTokens pageTokens, IDomainEvents events, TimeProvider clock)
{
    public const int ExplanationLength = 5_000;
    public const int EvidenceUrls = 20;

    public async Task<Review> ReviewAsync(string claimId, ReviewVerdict verdict, string explanation, IReadOnlyList<string> evidenceUrls,
        Actor actor, CancellationToken cancellationToken)
    {
        var v = new ViolationCollector();
        if (verdict == ReviewVerdict.Unspecified || !Enum.IsDefined(verdict))
            v.Add("review.verdict", "required: ACCURATE, MISATTRIBUTED, MISQUOTED, OUT_OF_CONTEXT, UNVERIFIABLE or FALSE");
        v.Required("review.explanation", explanation, ExplanationLength);
        if (v.MaxCount("review.evidence_urls", evidenceUrls, EvidenceUrls))
            for (var i = 0; i < evidenceUrls.Count; i++) v.HttpUrl($"review.evidence_urls[{i}]", evidenceUrls[i]);
        v.ThrowIfAny();

        var before = await claims.GetClaimAsync(claimId, cancellationToken) ?? throw new NotFoundException(ResourceNames.Claim(claimId));
        var (review, claim) = await store.AddReviewAsync(new Review
        {
            Id = ResourceNames.NewId(clock),
            ClaimId = claimId,
            Reviewer = actor.Principal,
            Verdict = verdict,
            Explanation = explanation.Trim(),
            EvidenceUrls = evidenceUrls.Select(u => u.Trim()).ToList(),
            CreateTime = clock.GetUtcNow(),
        }, actor.For(AuditActions.ReviewCreate), cancellationToken);
        await events.PublishAsync(new ReviewAdded(review, before, claim));
        return review;
    }

    public async Task<(IReadOnlyList<Review> Reviews, string NextPageToken)> ListAsync(string claimId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var limit = PageSize.Resolve(pageSize);
        var query = $"reviews\n{claimId}";
        var after = await pageTokens.DecodeSequenceAsync(pageToken, query, cancellationToken);
        if (after == 0 && await claims.GetClaimAsync(claimId, cancellationToken) is null) throw new NotFoundException(ResourceNames.Claim(claimId));
        var rows = await store.ListReviewsAsync(claimId, after, limit + 1, cancellationToken);
        var next = rows.Count > limit ? await pageTokens.EncodeSequenceAsync(query, rows[limit - 1].Sequence, cancellationToken) : "";
        return (rows.Take(limit).Select(r => r.Item).ToList(), next);
    }
}
