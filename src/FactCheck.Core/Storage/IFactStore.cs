using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Reviews;
using FactCheck.Core.Speakers;

namespace FactCheck.Core.Storage;

/// <summary>
/// Persistence of speakers and claims. Implemented by the SQLite (embedded) and PostgreSQL (production) stores,
/// which pass one conformance suite. Stores do no validation beyond integrity: the domain services validate.
///
/// Every method that changes something takes an <see cref="AuditContext"/> and appends, in the same transaction
/// as the change, one <see cref="AuditEvent"/> per changed resource (before/after from
/// <see cref="AuditSnapshots"/>, sealed with <see cref="AuditChain.Seal"/> after the last stored event, at the
/// store's current time truncated to microseconds). Appends are serialized so the chain has no forks or gaps.
/// An idempotent replay (a request id seen before) changes nothing and appends nothing.
/// </summary>
public interface IFactStore
{
    /// <summary>Inserts <paramref name="speaker"/>, or, when <paramref name="idempotency"/> names a request seen
    /// before, returns what that request created (throwing <see cref="Errors.AlreadyExistsException"/> if the earlier
    /// request differed). Throws <see cref="Errors.AlreadyExistsException"/> when the Wikidata id is taken.</summary>
    Task<Speaker> CreateSpeakerAsync(Speaker speaker, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken);

    Task<Speaker?> GetSpeakerAsync(string id, CancellationToken cancellationToken);

    /// <summary>The speakers that exist among <paramref name="ids"/>, in no particular order.</summary>
    Task<IReadOnlyList<Speaker>> GetSpeakersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Speakers in creation order after <paramref name="afterSequence"/> (0 = from the start).</summary>
    Task<IReadOnlyList<Sequenced<Speaker>>> ListSpeakersAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the speaker if its stored version is still <paramref name="expectedVersion"/>; else throws
    /// <see cref="Errors.VersionConflictException"/>. Returns it with the new version and update time.</summary>
    Task<Speaker> UpdateSpeakerAsync(Speaker speaker, long expectedVersion, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Ids of speakers having any of the name keys (see <see cref="SpeakerNameKeys"/>), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> FindSpeakerIdsByNameKeysAsync(IReadOnlyCollection<string> keys, int limit, CancellationToken cancellationToken);

    /// <summary>Also indexes the claim's quote shingles (<see cref="Verification.QuoteShingles.For"/>).</summary>
    Task<Claim> CreateClaimAsync(Claim claim, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="claims"/> as <see cref="CreateClaimAsync"/> would each, in one transaction with
    /// one audit event per claim in list order. Returns false, writing nothing, when <paramref name="idempotency"/>
    /// names a request seen before with the same fingerprint (throwing <see cref="Errors.AlreadyExistsException"/> if
    /// it differed).</summary>
    Task<bool> ImportClaimsAsync(IReadOnlyList<Claim> claims, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>A claim that is not deleted, or null.</summary>
    Task<Claim?> GetClaimAsync(string id, CancellationToken cancellationToken);

    /// <summary>The non-deleted claims among <paramref name="ids"/>, in no particular order.</summary>
    Task<IReadOnlyList<Claim>> GetClaimsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Non-deleted claims matching <paramref name="filter"/>, newest first by (sort day, sequence), strictly
    /// after <paramref name="after"/> when given.</summary>
    Task<IReadOnlyList<Sequenced<Claim>>> ListClaimsAsync(ClaimFilter filter, ClaimCursor? after, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the claim (with its appearances, and its shingles when the text changed) if its version is
    /// still <paramref name="expectedVersion"/>.</summary>
    Task<Claim> UpdateClaimAsync(Claim claim, long expectedVersion, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Marks the claim deleted (and drops its shingles) if its version is still <paramref name="expectedVersion"/>.
    /// The audit event's After is null.</summary>
    Task DeleteClaimAsync(string id, long expectedVersion, DateTimeOffset deleteTime, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>
    /// Ids of non-deleted claims sharing any of <paramref name="shingles"/>, at most <paramref name="limit"/>, with the
    /// number of keys shared. Only the rare keys are read: those that 1 to
    /// <see cref="Verification.QuoteShingles.MaxClaimsReadPerKey"/> claims have, each adding 1,000,000 / n (integer
    /// division, n its number of claims) to a claim's weight. When none of the keys is rare, every key's newest
    /// MaxClaimsReadPerKey claims are read instead, with no weight. Ranked by weight, then keys shared, then newest.
    /// </summary>
    Task<IReadOnlyList<(string ClaimId, int Shared)>> FindClaimsByShinglesAsync(IReadOnlyCollection<long> shingles, int limit, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="review"/> (its SupersedesId set by the store to the claim's latest review, if
    /// any) and sets the claim's status to <see cref="Review.StatusFor"/> its verdict, bumping the claim's version,
    /// in one transaction with two audit events (review.create for the review, then claim.update for the claim,
    /// both with <paramref name="audit"/>'s principal, reason and request id). Throws NotFound for a missing or
    /// deleted claim.</summary>
    Task<(Review Review, Claim Claim)> AddReviewAsync(Review review, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>A claim's reviews, newest first, after <paramref name="afterSequence"/> (0 = from the newest).</summary>
    Task<IReadOnlyList<Sequenced<Review>>> ListReviewsAsync(string claimId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Audit events matching <paramref name="filter"/> in log order, with Sequence greater than
    /// <paramref name="afterSequence"/>.</summary>
    Task<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditFilter filter, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Every audit event in log order, streamed (for chain verification of a large log). Returns what is
    /// stored, without checking it.</summary>
    IAsyncEnumerable<AuditEvent> ReadAuditLogAsync(CancellationToken cancellationToken);

    Task<ApiKey> CreateApiKeyAsync(ApiKey key, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>The key with this secret hash, revoked or not, or null.</summary>
    Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Sets RevokeTime (idempotent: revoking a revoked key changes nothing and audits nothing); NotFound if absent.</summary>
    Task<ApiKey> RevokeApiKeyAsync(string id, DateTimeOffset revokeTime, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Full-text search of non-deleted claims: of the newest <see cref="Validation.Limits.SearchWindow"/>
    /// claims matching (and by <paramref name="speakerId"/> when given), best first. <paramref name="terms"/> are
    /// normalized words, all required.</summary>
    Task<IReadOnlyList<ScoredClaim>> SearchClaimsAsync(IReadOnlyList<string> terms, string? speakerId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>One round trip to the database: throws when it cannot be reached (health checks).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>A random secret generated once per database and shared by every server instance on it
    /// (signs page tokens, so they survive restarts and work across instances).</summary>
    Task<byte[]> GetInstallationSecretAsync(CancellationToken cancellationToken);
}

/// <summary>A client's request id plus a fingerprint of the request it came with (AIP-155).</summary>
public sealed record IdempotencyKey(string RequestId, string Fingerprint);

/// <summary>A stored item with its insertion sequence, which breaks ordering ties for keyset paging.</summary>
public sealed record Sequenced<T>(T Item, long Sequence);

/// <summary>Position after the last claim of a page: keyset paging on (sort day desc, sequence desc).</summary>
public sealed record ClaimCursor(DateOnly SortDay, long Sequence);

public sealed record ClaimFilter
{
    public string? SpeakerId { get; init; }
    /// <summary>Compared case-insensitively with any appearance's publication.</summary>
    public string? Publication { get; init; }
    public DateOnly? SaidOnOrAfter { get; init; }
    public DateOnly? SaidOnOrBefore { get; init; }
    public VerificationStatus? Status { get; init; }
    public AttributionKind? Kind { get; init; }
}
