namespace FactCheck.Storage.Postgres;

/// <summary>How PostgreSQL spells the shared schema (<see cref="SharedSchema"/>). No extension is needed.</summary>
internal static class PostgresSchema
{
    public static readonly SchemaDialect Dialect = new()
    {
        Types = new ColumnTypes(Identity: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY", Integer: "integer", BigInt: "bigint",
            Real: "double precision", Text: "text", Json: "jsonb", Bytes: "bytea", Time: "timestamptz", Day: "date", AppliedAt: "timestamptz",
            WithoutRowId: ""),
        ClaimsSearchColumn = "\n    search tsvector NOT NULL,  -- to_tsvector('simple', the text folded by SearchText)",
        ClaimsSearchIndex = "CREATE INDEX claims_search ON claims USING gin (search) WHERE delete_time IS NULL;",
        ApiKeysInsertionOrderColumn = "\n    seq bigint GENERATED ALWAYS AS IDENTITY,  -- orders keys created in the same microsecond, as SQLite's rowid does",
        JsonColumnSuffix = "",
        JsonColumnRenames = "",
        AppliedAt = time => time,
        AfterScript = new Dictionary<int, Func<DbSession, CancellationToken, Task>> { [2] = BackfillClaimShinglesAsync },
    };

    /// <summary>The quote shingles of the claims stored before the shingle index existed, a page of claims per
    /// statement. Deleted claims have none.</summary>
    private static async Task BackfillClaimShinglesAsync(DbSession session, CancellationToken cancellationToken)
    {
        await foreach (var claims in ClaimReads.LiveTextPagesAsync(session, 1000, cancellationToken))
        {
            var shingles = new List<long>();
            var seqs = new List<long>();
            foreach (var (seq, text) in claims)
                foreach (var shingle in QuoteShingles.For(text))
                {
                    shingles.Add(shingle);
                    seqs.Add(seq);
                }
            await session.ExecuteAsync("INSERT INTO claim_shingles (shingle, claim_seq) SELECT * FROM unnest(@shingles, @seqs)",
                cancellationToken, ("@shingles", shingles.ToArray()), ("@seqs", seqs.ToArray()));
        }
    }
}
