using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Reviews;
using FactCheck.Core.Storage;
using Npgsql;
using static FactCheck.Storage.Postgres.PostgresCommands;
using static FactCheck.Storage.Postgres.Rows;

namespace FactCheck.Storage.Postgres;

/// <summary>Reviews: a claim's verdicts, the latest of which sets its status.</summary>
public sealed partial class PostgresFactStore
{
    public Task<(Review Review, Claim Claim)> AddReviewAsync(Review review, AuditContext audit, CancellationToken cancellationToken)
    {
        var status = Review.StatusFor(review.Verdict); // an unspecified verdict fails before anything is written
        return WriteAsync(async connection =>
        {
            // The claim's row lock also queues concurrent reviews of the claim, so each supersedes the one before it.
            var (claim, claimSeq) = await LockClaimAsync(connection, review.ClaimId, null, cancellationToken);
            var latest = (string?)await connection.ScalarAsync("SELECT id FROM reviews WHERE claim_seq = @claim_seq ORDER BY seq DESC LIMIT 1",
                cancellationToken, ("claim_seq", claimSeq));
            var now = Now();
            var stored = review with { CreateTime = now, SupersedesId = latest };
            var reviewed = claim with { Status = status, UpdateTime = now, Version = claim.Version + 1 };

            await using (var batch = new NpgsqlBatch(connection))
            {
                batch.BatchCommands.Add(BatchCommand(
                    """
                    INSERT INTO reviews (id, claim_seq, reviewer, verdict, explanation, evidence_urls, create_time, supersedes_id)
                    VALUES (@id, @claim_seq, @reviewer, @verdict, @explanation, @evidence_urls::jsonb, @create_time, @supersedes_id)
                    """, ReviewParameters(claimSeq, stored)));
                batch.BatchCommands.Add(BatchCommand(
                    "UPDATE claims SET status = @status, update_time = @update_time, version = @version WHERE seq = @seq",
                    ("status", (int)reviewed.Status), ("update_time", reviewed.UpdateTime), ("version", reviewed.Version), ("seq", claimSeq)));
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            await AppendAuditAsync(connection,
            [
                Draft(audit, AuditActions.ReviewCreate, stored.ResourceName, null, stored),
                Draft(audit, AuditActions.ClaimUpdate, claim.ResourceName, claim, reviewed),
            ], cancellationToken);
            return (stored, reviewed);
        }, cancellationToken);
    }

    /// <summary>Newest first from the cursor: a range of reviews_by_claim, in index order.</summary>
    public async Task<IReadOnlyList<Sequenced<Review>>> ListReviewsAsync(string claimId, long afterSequence, int limit,
        CancellationToken cancellationToken) =>
        await ReadAsync(async connection =>
        {
            await using var command = connection.Command(
                $"""
                SELECT {ReviewColumns} FROM reviews r JOIN claims c ON c.seq = r.claim_seq
                WHERE c.id = @claim_id {(afterSequence > 0 ? "AND r.seq < @after" : "")}
                ORDER BY r.seq DESC LIMIT @limit
                """, ("claim_id", claimId), ("after", afterSequence), ("limit", limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var reviews = new List<Sequenced<Review>>();
            while (await reader.ReadAsync(cancellationToken)) reviews.Add(ReadReview(reader));
            return reviews;
        }, cancellationToken);
}
