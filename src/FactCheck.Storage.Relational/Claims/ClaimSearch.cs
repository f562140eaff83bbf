namespace FactCheck.Storage.Relational.Claims;

/// <summary>
/// Finding claims by their words and by a quote. Each database has its own full-text index and its own way of
/// reading the shingle index in bounded time, so each store writes both queries (<see cref="ClaimSearchQueries"/>);
/// running them is shared.
/// </summary>
public sealed class ClaimSearch(RelationalDatabase database, ClaimSearchQueries queries) : IClaimSearch
{
    private readonly ClaimReads reads = new(database.Dialect);

    public async Task<IReadOnlyList<ScoredClaim>> SearchClaimsAsync(IReadOnlyList<string> terms, string? speakerId, int offset, int limit,
        CancellationToken cancellationToken)
    {
        if (terms.Count == 0) return [];
        var (sql, parameters) = queries.Search(terms, speakerId, offset, limit);
        var rows = await database.ReadAsync(session => reads.QueryAsync(session, sql, cancellationToken, parameters), cancellationToken);
        return rows.Select(row => new ScoredClaim(row.Claim, queries.Relevance(row.Rank))).ToList();
    }

    public async Task<IReadOnlyList<(string ClaimId, int Shared)>> FindClaimsByShinglesAsync(IReadOnlyCollection<long> shingles, int limit,
        CancellationToken cancellationToken)
    {
        if (shingles.Count == 0 || limit <= 0) return [];
        var (sql, parameters) = queries.FindByShingles(shingles, limit);
        return await database.ReadAsync(session => session.QueryAsync(sql, row => (row.String(0), row.Int32(1)), cancellationToken, parameters),
            cancellationToken);
    }
}

/// <summary>The statements of claim search on one database.</summary>
/// <param name="Search">Terms (all required), speaker id or null, offset, limit: selects <see cref="ClaimRows.Columns"/>
/// and then each match's rank, best first.</param>
/// <param name="Relevance">A rank as <see cref="ScoredClaim.Relevance"/>: higher is more relevant.</param>
/// <param name="FindByShingles">Shingles, limit: selects each claim's id and the number of keys it shares, as
/// <see cref="IClaimSearch.FindClaimsByShinglesAsync"/> ranks them.</param>
public sealed record ClaimSearchQueries(
    Func<IReadOnlyList<string>, string?, int, int, (string Sql, (string, object?)[] Parameters)> Search,
    Func<double, double> Relevance,
    Func<IReadOnlyCollection<long>, int, (string Sql, (string, object?)[] Parameters)> FindByShingles);
