using FactCheck.Core.Claims;

namespace FactCheck.Core.Storage;

/// <summary>
/// Claims with their appearances. Every write keeps the claim's search entries and quote shingles
/// (<see cref="IClaimSearch"/>) in step in its own transaction, and is audited as <see cref="IAuditStore"/> states.
/// It also keeps the claim's place in the embedding work of <see cref="IClaimVectorStore"/>: a created claim, or one
/// whose text changed, is queued for embedding; a changed or deleted claim's vector leaves the feed.
/// Deletion is soft: a deleted claim is neither read, listed nor found, but its row stays.
/// </summary>
public interface IClaimStore
{
    /// <summary>Inserts the claim and indexes its quote shingles (<see cref="Verification.QuoteShingles.For"/>), or,
    /// when <paramref name="idempotency"/> names a request seen before, returns what that request created as stored
    /// now, even if since deleted (the retry must not create it again).</summary>
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

    /// <summary>The non-deleted claims among <paramref name="ids"/> and <paramref name="keys"/> (their store keys, the
    /// <see cref="Sequenced{T}.Sequence"/> that vectors and relations refer to), each once with its key, in no particular
    /// order: the candidates of a verification, found by words (ids) and by meaning (keys), in one read.</summary>
    Task<IReadOnlyList<Sequenced<Claim>>> GetKeyedClaimsAsync(IReadOnlyCollection<string> ids, IReadOnlyCollection<long> keys, CancellationToken cancellationToken);

    /// <summary>Non-deleted claims matching <paramref name="filter"/>, newest first by (sort day, sequence), strictly
    /// after <paramref name="after"/> when given.</summary>
    Task<IReadOnlyList<Sequenced<Claim>>> ListClaimsAsync(ClaimFilter filter, ClaimCursor? after, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the claim (with its appearances, and its shingles when the text changed) if its version is
    /// still <paramref name="expectedVersion"/>: NotFound for a missing or deleted claim or speaker,
    /// <see cref="Errors.VersionConflictException"/> for another version.</summary>
    Task<Claim> UpdateClaimAsync(Claim claim, long expectedVersion, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Marks the claim deleted (and drops its shingles) if its version is still <paramref name="expectedVersion"/>.
    /// The audit event's After is null.</summary>
    Task DeleteClaimAsync(string id, long expectedVersion, DateTimeOffset deleteTime, AuditContext audit, CancellationToken cancellationToken);
}
