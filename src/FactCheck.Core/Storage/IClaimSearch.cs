using FactCheck.Core.Claims;

namespace FactCheck.Core.Storage;

/// <summary>Finding claims by their words (full-text search) and by a quote (the shingle index). Only non-deleted
/// claims are found; <see cref="IClaimStore"/> keeps both indexes in step with every write.</summary>
public interface IClaimSearch
{
    /// <summary>Full-text search of non-deleted claims matching (and by <paramref name="speakerId"/> when given), best
    /// first, at most <see cref="Validation.Limits.SearchWindow"/> of them: the stores' own indexes rank the newest that
    /// many matches, the search index (FactCheck.Search) ranks all matches. <paramref name="terms"/> are normalized
    /// words, all required. A write is reflected by the next search once acknowledged.</summary>
    Task<IReadOnlyList<ScoredClaim>> SearchClaimsAsync(IReadOnlyList<string> terms, string? speakerId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Ids of non-deleted claims sharing any of <paramref name="shingles"/>, at most <paramref name="limit"/>, with the
    /// number of keys shared. Only the rare keys are read: those that 1 to
    /// <see cref="Verification.QuoteShingles.MaxClaimsReadPerKey"/> claims have, each adding 1,000,000 / n (integer
    /// division, n its number of claims) to a claim's weight. When none of the keys is rare, every key's newest
    /// MaxClaimsReadPerKey claims are read instead, with no weight. Ranked by weight, then keys shared, then newest.
    /// </summary>
    Task<IReadOnlyList<(string ClaimId, int Shared)>> FindClaimsByShinglesAsync(IReadOnlyCollection<long> shingles, int limit, CancellationToken cancellationToken);
}
