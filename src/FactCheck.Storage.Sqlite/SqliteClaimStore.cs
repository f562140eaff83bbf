namespace FactCheck.Storage.Sqlite;

/// <summary>Claims in SQLite: the FTS5 index follows the claims table through triggers, so the claims row carries no
/// search column; quote shingles go in key order (<see cref="ShingleIndex"/>).</summary>
internal sealed class SqliteClaimStore(SqliteDatabase database) : ClaimStore(database, textSearch: null)
{
    protected override void AddQuoteShingles(StatementBatch batch, IReadOnlyList<(long ClaimSeq, string Text)> claims) =>
        ShingleIndex.Add(batch, claims);
}
