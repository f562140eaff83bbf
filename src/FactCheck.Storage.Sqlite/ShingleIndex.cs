namespace FactCheck.Storage.Sqlite;

/// <summary>
/// The claim_shingles table in SQLite: the <see cref="QuoteShingles"/> keys of every live claim's text, written in the
/// transaction that changes the claim; rebuilt whole when the database's keys were made under another
/// <see cref="QuoteShingles.Version"/> (or, in migration 2, for the claims that existed before the index).
/// </summary>
internal static class ShingleIndex
{
    private const string VersionKey = "quote_shingles_version";
    private const int RebuildBatch = 1000;

    // The keys of one text are distinct already; OR IGNORE only guards the primary key.
    private const string Insert = "INSERT OR IGNORE INTO claim_shingles (shingle, claim_seq) VALUES (@shingle, @claim_seq)";

    /// <summary>
    /// Adds the inserts of the keys of new claims' texts. The keys are hashes, so one claim's land all over the
    /// (shingle, claim) B-tree; inserting a whole batch's keys in key order visits each touched page once instead of
    /// once per key (on a 30,000-claim import: 2.5 s of shingle inserts instead of 14.6 s claim by claim). The batch
    /// compiles the insert once and rebinds it per key.
    /// </summary>
    public static void Add(StatementBatch batch, IReadOnlyList<(long ClaimSeq, string Text)> claims)
    {
        var keys = claims.SelectMany(claim => QuoteShingles.For(claim.Text).Select(shingle => (Shingle: shingle, claim.ClaimSeq))).ToList();
        keys.Sort();
        foreach (var (shingle, claimSeq) in keys) batch.Add(Insert, ("@shingle", shingle), ("@claim_seq", claimSeq));
    }

    /// <summary>Rebuilds the index if it was made under another key scheme (or never recorded one). In the caller's
    /// write transaction.</summary>
    public static async Task EnsureCurrentAsync(DbSession session, CancellationToken cancellationToken)
    {
        if (await session.ScalarAsync("SELECT value FROM installation WHERE key = @key", cancellationToken, ("@key", VersionKey))
            is not long version || version != QuoteShingles.Version)
            await RebuildAsync(session, cancellationToken);
    }

    /// <summary>Recomputes the keys of every live claim and records the key scheme. In the caller's write transaction.</summary>
    public static async Task RebuildAsync(DbSession session, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM claim_shingles", cancellationToken);
        await foreach (var claims in ClaimReads.LiveTextPagesAsync(session, RebuildBatch, cancellationToken))
        {
            var inserts = session.Batch();
            Add(inserts, claims);
            await inserts.ExecuteAsync(cancellationToken);
        }
        await session.ExecuteAsync(
            "INSERT INTO installation (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("@key", VersionKey), ("@value", (long)QuoteShingles.Version));
    }
}
