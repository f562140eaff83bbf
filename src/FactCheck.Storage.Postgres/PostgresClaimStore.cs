namespace FactCheck.Storage.Postgres;

/// <summary>Claims in PostgreSQL: the claims row carries its own tsvector of the folded text (<see cref="SearchText"/>),
/// written by the statement that writes the text; a claim's quote shingles go in as one array, an import's by one binary
/// COPY.</summary>
internal sealed class PostgresClaimStore(PostgresDatabase database)
    : ClaimStore(database, new TextSearchColumn("search", "to_tsvector('simple', @search_text)", "@search_text", SearchText.Fold))
{
    protected override void AddQuoteShingles(StatementBatch batch, IReadOnlyList<(long ClaimSeq, string Text)> claims)
    {
        foreach (var (claimSeq, text) in claims)
            batch.Add("INSERT INTO claim_shingles (shingle, claim_seq) SELECT unnest(@shingles), @claim_seq",
                ("@shingles", QuoteShingles.For(text).ToArray()), ("@claim_seq", claimSeq));
    }

    protected override Task InsertQuoteShinglesAsync(DbSession session, StatementBatch batch, IReadOnlyList<(long ClaimSeq, string Text)> claims,
        CancellationToken cancellationToken) =>
        session.InsertRowsAsync("claim_shingles",
            claims.SelectMany(claim => QuoteShingles.For(claim.Text).Select(shingle => new (string, object?)[] { ("@shingle", shingle), ("@claim_seq", claim.ClaimSeq) }))
                .ToList(), cancellationToken);
}
