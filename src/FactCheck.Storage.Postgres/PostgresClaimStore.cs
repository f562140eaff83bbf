namespace FactCheck.Storage.Postgres;

/// <summary>Claims in PostgreSQL: the claims row carries its own tsvector of the folded text (<see cref="SearchText"/>),
/// written by the statement that writes the text; a claim's quote shingles go in as one array, an import's by one binary
/// COPY.</summary>
internal sealed class PostgresClaimStore(PostgresDatabase database) : ClaimStore(database, Search)
{
    private static readonly TextSearchColumn Search = new("search", "to_tsvector('simple', @search_text)", "@search_text", SearchText.Fold);

    /// <summary>
    /// An import's claims rows in one statement, INSERT ... SELECT FROM unnest of one array per column
    /// (<see cref="PostgresDialect.ColumnArrays"/>), where a statement per claim would make the server execute each:
    /// their seqs are taken from the identity's sequence first, in claim order, so nothing need be returned. Not COPY,
    /// as the search column is an expression of the text. Fewer claims go as the shared statement per claim.
    /// </summary>
    protected override async Task<List<long>> InsertClaimRowsAsync(DbSession session, IReadOnlyList<(string Name, object? Value)[]> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count < PostgresDialect.BulkRows) return await base.InsertClaimRowsAsync(session, rows, cancellationToken);
        var seqs = await session.QueryAsync("SELECT nextval(pg_get_serial_sequence('claims', 'seq')) FROM generate_series(1, @count)",
            row => row.Int64(0), cancellationToken, ("@count", rows.Count));
        seqs.Sort();
        var columns = PostgresDialect.ColumnArrays(rows);
        var names = columns.Select(column => column.Name.TrimStart('@')).ToList();
        var targets = columns.Select(column => column.Name == Search.Parameter ? Search.Column : column.Name.TrimStart('@'));
        var values = columns.Select(column => column.Name == Search.Parameter
            ? Search.Value.Replace(Search.Parameter, "r." + Search.Parameter.TrimStart('@'), StringComparison.Ordinal)
            : "r." + column.Name.TrimStart('@'));
        await session.ExecuteAsync(
            $"""
            INSERT INTO claims (seq, {string.Join(", ", targets)}) OVERRIDING SYSTEM VALUE
            SELECT r.seq, {string.Join(", ", values)} FROM unnest(@seq, {string.Join(", ", columns.Select(column => column.Name))}) AS r(seq, {string.Join(", ", names)})
            """, cancellationToken, [("@seq", seqs.ToArray()), .. columns]);
        return seqs;
    }

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
