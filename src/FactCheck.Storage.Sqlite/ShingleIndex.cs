using FactCheck.Core.Verification;
using Microsoft.Data.Sqlite;

namespace FactCheck.Storage.Sqlite;

/// <summary>
/// The claim_shingles table: the <see cref="QuoteShingles"/> keys of every live claim's text. Written in the
/// transaction that changes the claim; rebuilt whole when the database's keys were made under another
/// <see cref="QuoteShingles.Version"/> (or, in migration 2, for the claims that existed before the index).
/// </summary>
internal static class ShingleIndex
{
    private const string VersionKey = "quote_shingles_version";
    private const int RebuildBatch = 1000;

    /// <summary>Replaces the claim's keys with those of <paramref name="text"/>.</summary>
    public static async Task WriteAsync(SqliteConnection connection, long claimSeq, string text, CancellationToken cancellationToken)
    {
        await DeleteAsync(connection, claimSeq, cancellationToken);
        await InsertAsync(connection, [(claimSeq, text)], cancellationToken);
    }

    /// <summary>
    /// Adds the keys of new claims' texts. The keys are hashes, so one claim's land all over the (shingle, claim)
    /// B-tree; inserting a whole batch's keys in key order visits each touched page once instead of once per key
    /// (on a 30,000-claim import: 2.5 s of shingle inserts instead of 14.6 s claim by claim).
    /// </summary>
    public static async Task InsertAsync(SqliteConnection connection, IEnumerable<(long ClaimSeq, string Text)> claims,
        CancellationToken cancellationToken)
    {
        var keys = claims.SelectMany(claim => QuoteShingles.For(claim.Text).Select(shingle => (Shingle: shingle, claim.ClaimSeq))).ToList();
        keys.Sort();
        // The keys of one text are distinct already; OR IGNORE only guards the primary key.
        await using var insert = connection.Command("INSERT OR IGNORE INTO claim_shingles (shingle, claim_seq) VALUES ($shingle, $claim_seq)");
        var shingleParameter = insert.Parameters.AddWithValue("$shingle", 0L);
        var claimParameter = insert.Parameters.AddWithValue("$claim_seq", 0L);
        foreach (var (shingle, claimSeq) in keys)
        {
            (shingleParameter.Value, claimParameter.Value) = (shingle, claimSeq);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static Task DeleteAsync(SqliteConnection connection, long claimSeq, CancellationToken cancellationToken) =>
        connection.ExecuteAsync("DELETE FROM claim_shingles WHERE claim_seq = $claim_seq", cancellationToken, ("$claim_seq", claimSeq));

    /// <summary>Rebuilds the index if it was made under another key scheme (or never recorded one). In the caller's
    /// write transaction.</summary>
    public static async Task EnsureCurrentAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (await connection.ScalarAsync("SELECT value FROM installation WHERE key = $key", cancellationToken, ("$key", VersionKey))
            is not long version || version != QuoteShingles.Version)
            await RebuildAsync(connection, cancellationToken);
    }

    /// <summary>Recomputes the keys of every live claim and records the key scheme. In the caller's write transaction.</summary>
    public static async Task RebuildAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("DELETE FROM claim_shingles", cancellationToken);
        // In batches by seq, so memory stays bounded however many claims there are.
        for (long after = 0; ;)
        {
            var batch = new List<(long Seq, string Text)>(RebuildBatch);
            await using (var command = connection.Command(
                "SELECT seq, text FROM claims WHERE seq > $after AND delete_time IS NULL ORDER BY seq LIMIT $limit",
                ("$after", after), ("$limit", RebuildBatch)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken))
                    batch.Add((reader.GetInt64(0), reader.GetString(1)));
            await InsertAsync(connection, batch, cancellationToken);
            if (batch.Count < RebuildBatch) break;
            after = batch[^1].Seq;
        }
        await connection.ExecuteAsync(
            "INSERT INTO installation (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            cancellationToken, ("$key", VersionKey), ("$value", (long)QuoteShingles.Version));
    }
}
