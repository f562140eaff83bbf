using FactCheck.Core.Validation;

namespace FactCheck.Storage.Sqlite;

/// <summary>Claim search in SQLite: FTS5 for words, the claim_shingles primary key for quotes.</summary>
internal static class SqliteClaimSearch
{
    /// <summary>bm25 is lower for better matches, hence the relevance is its negation.</summary>
    public static readonly ClaimSearchQueries Queries = new(SearchClaimsQuery, rank => -rank, FindClaimsByShinglesQuery);

    /// <summary>
    /// Each term is a quoted phrase, so FTS5 operators in it (AND, NEAR, *, :) are just text; phrases side by side
    /// must all match. FTS5 walks the matches newest first (rowid order) and stops at the window, so only the window
    /// is scored, by bm25.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) SearchClaimsQuery(IReadOnlyList<string> terms, string? speakerId, int offset, int limit) =>
        ($"""
          WITH recent AS MATERIALIZED (
              SELECT claims_fts.rowid AS seq, bm25(claims_fts) AS score FROM claims_fts JOIN claims c ON c.seq = claims_fts.rowid
              WHERE claims_fts MATCH @match AND c.delete_time IS NULL AND (@speaker_id IS NULL OR c.speaker_id = @speaker_id)
              ORDER BY claims_fts.rowid DESC LIMIT @window)
          SELECT {ClaimRows.Columns}, recent.score FROM recent JOIN claims c ON c.seq = recent.seq
          ORDER BY recent.score, c.seq DESC LIMIT @limit OFFSET @offset
          """,
         [("@match", string.Join(' ', terms.Select(term => '"' + term.Replace("\"", "\"\"") + '"'))), ("@speaker_id", speakerId),
          ("@window", Limits.SearchWindow), ("@limit", limit), ("@offset", offset)]);

    /// <summary>
    /// One JSON array parameter however many keys. For each key, <c>claims</c> counts the claims having it, stopping
    /// one past <see cref="QuoteShingles.MaxClaimsReadPerKey"/>; only rare keys are then read, or, when there is none,
    /// each key's newest claims, above the <c>floor</c> found by stepping that far down the primary key. Every step is
    /// bounded, so a look-up's cost does not grow with the record however common its keys. MATERIALIZED makes the
    /// per-key subqueries run once per key: inlined, SQLite ran them again for every joined row (333 ms instead of
    /// 9 ms per look-up on 5,000 templated claims). Plan (checked by SqliteStoreTests): <c>SEARCH s USING PRIMARY KEY
    /// (shingle=? AND claim_seq&gt;?)</c> per key, then the claim by rowid. Deleted claims have no keys; the
    /// delete_time condition is a safeguard.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) FindClaimsByShinglesQuery(IReadOnlyCollection<long> shingles, int limit) =>
        ("""
         WITH q AS MATERIALIZED (
             SELECT k.value AS shingle,
                 (SELECT count(*) FROM (SELECT 1 FROM claim_shingles x WHERE x.shingle = k.value LIMIT @per_key + 1)) AS claims
             FROM json_each(@shingles) k),
         used AS MATERIALIZED (
             SELECT q.shingle, q.claims,
                 CASE WHEN q.claims > @per_key THEN (SELECT x.claim_seq FROM claim_shingles x WHERE x.shingle = q.shingle
                                                     ORDER BY x.claim_seq DESC LIMIT 1 OFFSET @per_key) ELSE 0 END AS floor
             FROM q
             WHERE q.claims BETWEEN 1 AND @per_key OR NOT EXISTS (SELECT 1 FROM q WHERE q.claims BETWEEN 1 AND @per_key))
         SELECT c.id, count(*) AS shared, sum(CASE WHEN u.claims > @per_key THEN 0 ELSE 1000000 / u.claims END) AS weight
         FROM used u JOIN claim_shingles s ON s.shingle = u.shingle AND s.claim_seq > u.floor
         JOIN claims c ON c.seq = s.claim_seq
         WHERE c.delete_time IS NULL
         GROUP BY c.seq ORDER BY weight DESC, shared DESC, c.seq DESC LIMIT @limit
         """, [("@shingles", shingles.Distinct().ToArray()), ("@limit", limit), ("@per_key", QuoteShingles.MaxClaimsReadPerKey)]);
}
