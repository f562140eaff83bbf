using FactCheck.Core.Claims;
using FactCheck.Core.Reviews;

namespace FactCheck.Core.Storage;

/// <summary>Reviews: a claim's verdicts, never edited; the latest sets the claim's status.</summary>
public interface IReviewStore
{
    /// <summary>Stores <paramref name="review"/> (its SupersedesId set by the store to the claim's latest review, if
    /// any) and sets the claim's status to <see cref="Review.StatusFor"/> its verdict, bumping the claim's version,
    /// in one transaction with two audit events (review.create for the review, then claim.update for the claim,
    /// both with <paramref name="audit"/>'s principal, reason and request id). Throws NotFound for a missing or
    /// deleted claim.</summary>
    Task<(Review Review, Claim Claim)> AddReviewAsync(Review review, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>A claim's reviews, newest first, after <paramref name="afterSequence"/> (0 = from the newest).</summary>
    Task<IReadOnlyList<Sequenced<Review>>> ListReviewsAsync(string claimId, long afterSequence, int limit, CancellationToken cancellationToken);
}
