using FactCheck.Core.Claims;

namespace FactCheck.Storage.Relational.Claims;

/// <summary>
/// Finding claims by their words and by a quote. Each database has its own full-text index and its own way of
/// reading the shingle index in bounded time, so each store writes both queries; running them is shared.
/// </summary>
public abstract class ClaimSearch(RelationalDatabase database) : IClaimSearch
{
    private readonly ClaimReads reads = new(database.Dialect);

    public async Task<IReadOnlyList<ScoredClaim>> SearchClaimsAsync(IReadOnlyList<string> terms, string? speakerId, int offset, int limit,
        CancellationToken cancellationToken)
    {
        if (terms.Count == 0) return [];
        var (sql, parameters) = SearchQuery(terms, speakerId, offset, limit);
        var rows = await database.ReadAsync(session => reads.QueryAsync(session, sql, cancellationToken, parameters), cancellationToken);
        return rows.Select(row => new ScoredClaim(row.Claim, Relevance(row.Rank))).ToList();
    }

    public async Task<IReadOnlyList<(string ClaimId, int Shared)>> FindClaimsByShinglesAsync(IReadOnlyCollection<long> shingles, int limit,
        CancellationToken cancellationToken)
    {
        if (shingles.Count == 0 || limit <= 0) return [];
        var (sql, parameters) = ShingleQuery(shingles, limit);
        return await database.ReadAsync(session => session.QueryAsync(sql, row => (row.String(0), row.Int32(1)), cancellationToken, parameters),
            cancellationToken);
    }

    /// <summary>Selects <see cref="ClaimRows.Columns"/> and then the rank of each match, best first; <paramref name="terms"/>
    /// are all required.</summary>
    protected abstract (string Sql, (string, object?)[] Parameters) SearchQuery(IReadOnlyList<string> terms, string? speakerId, int offset, int limit);

    /// <summary>A match's rank as <see cref="ScoredClaim.Relevance"/>: higher is more relevant.</summary>
    protected abstract double Relevance(double rank);

    /// <summary>Selects the id of each claim found and the number of keys it shares, as <see cref="IClaimSearch.FindClaimsByShinglesAsync"/> ranks them.</summary>
    protected abstract (string Sql, (string, object?)[] Parameters) ShingleQuery(IReadOnlyCollection<long> shingles, int limit);
}
