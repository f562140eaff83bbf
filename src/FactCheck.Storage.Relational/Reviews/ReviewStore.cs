using FactCheck.Core.Reviews;

namespace FactCheck.Storage.Relational.Reviews;

/// <summary>Reviews: a claim's verdicts, the latest of which sets its status, in both databases.</summary>
public sealed class ReviewStore(RelationalDatabase database) : IReviewStore
{
    /// <summary>Reviews joined to their claim (r, c) for the claim id.</summary>
    private const string Columns = "r.seq, r.id, c.id, r.reviewer, r.verdict, r.explanation, r.evidence_urls, r.create_time, r.supersedes_id";

    private readonly ClaimReads claims = new(database.Dialect);

    public Task<(Review Review, Claim Claim)> AddReviewAsync(Review review, AuditContext audit, CancellationToken cancellationToken)
    {
        var status = Review.StatusFor(review.Verdict); // before the transaction: an invalid verdict writes nothing
        return database.WriteAsync(async session =>
        {
            // The claim's row lock also queues concurrent reviews of the claim, so each supersedes the one before it.
            var (claim, claimSeq) = await claims.LockLiveAsync(session, review.ClaimId, null, cancellationToken);
            var now = session.Now();
            var stored = review with
            {
                CreateTime = now,
                SupersedesId = (string?)await session.ScalarAsync(
                    "SELECT id FROM reviews WHERE claim_seq = @claim_seq ORDER BY seq DESC LIMIT 1", cancellationToken, ("@claim_seq", claimSeq)),
            };
            var reviewed = claim with { Status = status, UpdateTime = now, Version = claim.Version + 1 };
            await session.Batch()
                .Add(
                    """
                    INSERT INTO reviews (id, claim_seq, reviewer, verdict, explanation, evidence_urls, create_time, supersedes_id)
                    VALUES (@id, @claim_seq, @reviewer, @verdict, @explanation, @evidence_urls, @create_time, @supersedes_id)
                    """, Parameters(claimSeq, stored))
                .Add("UPDATE claims SET status = @status, update_time = @update_time, version = @version WHERE seq = @seq",
                    ("@status", (int)reviewed.Status), ("@update_time", reviewed.UpdateTime), ("@version", reviewed.Version), ("@seq", claimSeq))
                .ExecuteAsync(cancellationToken);
            await AuditAppender.AppendAsync(session,
            [
                AuditAppender.Draft(audit, stored.ResourceName, null, stored, AuditActions.ReviewCreate),
                AuditAppender.Draft(audit, claim.ResourceName, claim, reviewed, AuditActions.ClaimUpdate),
            ], cancellationToken);
            return (stored, reviewed);
        }, cancellationToken);
    }

    /// <summary>Newest first: "after" the cursor means an older (lower) seq, so a page is a range of reviews_by_claim
    /// walked backwards from it, in index order.</summary>
    public async Task<IReadOnlyList<Sequenced<Review>>> ListReviewsAsync(string claimId, long afterSequence, int limit,
        CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"""
            SELECT {Columns} FROM reviews r JOIN claims c ON c.seq = r.claim_seq
            WHERE r.claim_seq = (SELECT seq FROM claims WHERE id = @claim_id) AND r.seq < @before
            ORDER BY r.seq DESC LIMIT @limit
            """, Read, cancellationToken,
            ("@claim_id", claimId), ("@before", afterSequence == 0 ? long.MaxValue : afterSequence), ("@limit", limit)), cancellationToken);

    private static Sequenced<Review> Read(DbRow r) => new(new Review
    {
        Id = r.String(1),
        ClaimId = r.String(2),
        Reviewer = r.String(3),
        Verdict = (ReviewVerdict)r.Int32(4),
        Explanation = r.String(5),
        EvidenceUrls = r.Json<string[]>(6),
        CreateTime = r.Time(7),
        SupersedesId = r.NullableString(8),
    }, r.Int64(0));

    private static (string, object?)[] Parameters(long claimSeq, Review review) =>
    [
        ("@id", review.Id), ("@claim_seq", claimSeq), ("@reviewer", review.Reviewer), ("@verdict", (int)review.Verdict),
        ("@explanation", review.Explanation), ("@evidence_urls", JsonText.Of(review.EvidenceUrls)), ("@create_time", review.CreateTime),
        ("@supersedes_id", review.SupersedesId),
    ];
}
