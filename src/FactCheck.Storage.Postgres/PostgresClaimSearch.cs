using FactCheck.Core.Validation;

namespace FactCheck.Storage.Postgres;

/// <summary>Claim search in PostgreSQL: a GIN index over the claims' tsvector for words, the claim_shingles primary
/// key for quotes.</summary>
internal static class PostgresClaimSearch
{
    public static readonly ClaimSearchQueries Queries = new(SearchClaimsQuery, rank => rank, FindClaimsByShinglesQuery);

    /// <summary>
    /// Each term is folded as the text was and becomes a phrase query (a term the folding splits must match as adjacent
    /// words), all of them ANDed; being a parameter, nothing in a term is a tsquery operator. Only the newest
    /// <see cref="Limits.SearchWindow"/> matches are ranked. EXPLAIN (checked by PostgresStoreTests): a Bitmap Index
    /// Scan on claims_search feeding a top-N sort of the matches by seq, then the ranking of that window. ts_rank_cd
    /// with normalization 1 (divide by the log of the length) ranks, like SQLite's bm25, a short text about the terms
    /// above a long one mentioning them in passing.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) SearchClaimsQuery(IReadOnlyList<string> terms, string? speakerId, int offset, int limit)
    {
        var parameters = new List<(string, object?)> { ("@limit", limit), ("@offset", offset), ("@window", Limits.SearchWindow) };
        parameters.AddRange(terms.Select((term, i) => ($"@term{i}", (object?)SearchText.Fold(term))));
        var query = string.Join(" && ", terms.Select((_, i) => $"phraseto_tsquery('simple', @term{i})"));
        var speakerCondition = "";
        if (speakerId is not null)
        {
            speakerCondition = "AND c.speaker_id = @speaker_id";
            parameters.Add(("@speaker_id", speakerId));
        }
        // The window is chosen by seq alone, so only its claims are ranked.
        return ($"""
            SELECT {ClaimRows.Columns}, ts_rank_cd(c.search, q.query, 1)::float8 AS rank
            FROM (SELECT {query} AS query) q,
                 LATERAL (SELECT c.seq FROM claims c WHERE c.search @@ q.query AND c.delete_time IS NULL {speakerCondition}
                          ORDER BY c.seq DESC LIMIT @window) w
            JOIN claims c ON c.seq = w.seq
            ORDER BY rank DESC, c.seq DESC LIMIT @limit OFFSET @offset
            """, parameters.ToArray());
    }

    /// <summary>
    /// Claims by the rarity-weighted number of the shingles they share, read from the primary key of claim_shingles,
    /// which leads with the shingle. For each key, a count that stops one past
    /// <see cref="QuoteShingles.MaxClaimsReadPerKey"/> tells whether it is rare; only rare keys are read (or, when
    /// there is none, every key), each by a LATERAL subquery taking at most that many of its newest claims backwards
    /// along the primary key, so a look-up's cost is bounded however common its keys. EXPLAIN (checked by
    /// PostgresStoreTests): per key, a Limit over an <c>Index Only Scan Backward using claim_shingles_pkey</c> with
    /// <c>Index Cond: (shingle = u.shingle)</c>, aggregated by claim_seq, joined to claims by claims_pkey, then a top-N
    /// sort of the matches only. Deleted claims have no shingles (dropped in the deleting transaction); the
    /// delete_time condition states the contract all the same.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) FindClaimsByShinglesQuery(IReadOnlyCollection<long> shingles, int limit) =>
        ("""
        WITH q AS MATERIALIZED (
            SELECT k.shingle, (SELECT count(*) FROM (SELECT FROM claim_shingles x WHERE x.shingle = k.shingle LIMIT @per_key + 1) n) AS claims
            FROM unnest(@shingles) AS k(shingle)),
        used AS (
            SELECT * FROM q WHERE q.claims BETWEEN 1 AND @per_key OR NOT EXISTS (SELECT FROM q WHERE q.claims BETWEEN 1 AND @per_key))
        SELECT c.id, m.shared
        FROM (SELECT s.claim_seq, count(*)::integer AS shared, sum(CASE WHEN u.claims > @per_key THEN 0 ELSE 1000000 / u.claims END) AS weight
              FROM used u
              CROSS JOIN LATERAL (SELECT x.claim_seq FROM claim_shingles x WHERE x.shingle = u.shingle
                                  ORDER BY x.claim_seq DESC LIMIT @per_key) s
              GROUP BY s.claim_seq) m
        JOIN claims c ON c.seq = m.claim_seq
        WHERE c.delete_time IS NULL
        ORDER BY m.weight DESC, m.shared DESC, m.claim_seq DESC
        LIMIT @limit
        """, [("@shingles", shingles.Distinct().ToArray()), ("@limit", limit), ("@per_key", QuoteShingles.MaxClaimsReadPerKey)]);
}
