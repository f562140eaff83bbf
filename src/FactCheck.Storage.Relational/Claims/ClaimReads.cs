namespace FactCheck.Storage.Relational.Claims;

/// <summary>Claims read with their appearances: by id, by any query selecting <see cref="ClaimRows.Columns"/>, and
/// locked for a change.</summary>
public sealed class ClaimReads(SqlDialect dialect)
{
    private readonly string byIds =
        $"SELECT {ClaimRows.ColumnsWithAppearances(dialect)} FROM claims c WHERE {dialect.IsIn("c.id", "@ids")} AND c.delete_time IS NULL";
    private readonly string appearances =
        $"SELECT {ClaimRows.AppearanceColumns} FROM appearances WHERE {dialect.IsIn("claim_seq", "@seqs")} ORDER BY claim_seq, position";
    private readonly string lockLive =
        $"SELECT {ClaimRows.Columns} FROM claims c WHERE c.id = @id AND c.delete_time IS NULL {dialect.ForUpdate}";

    /// <summary>The non-deleted claims among <paramref name="ids"/>, in one statement (needing no transaction).</summary>
    public Task<List<Claim>> ByIdsAsync(DbSession session, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        session.QueryAsync(byIds, ClaimRows.ReadWithAppearances, cancellationToken, ("@ids", ids.ToArray()));

    /// <summary>
    /// Runs a query selecting <see cref="ClaimRows.Columns"/> (optionally followed by a rank column) and attaches the
    /// appearances of all its claims with one more query, not one per claim.
    /// </summary>
    public async Task<List<(Claim Claim, long Seq, double Rank)>> QueryAsync(DbSession session, string sql, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        var rows = await session.QueryAsync(sql,
            r => (Claim: ClaimRows.Read(r), Seq: r.Int64(0), Rank: r.FieldCount > ClaimRows.ColumnCount ? r.Double(ClaimRows.ColumnCount) : 0),
            cancellationToken, parameters);
        if (rows.Count == 0) return rows;

        var bySeq = new Dictionary<long, List<Appearance>>();
        foreach (var (seq, appearance) in await session.QueryAsync(appearances, ClaimRows.ReadAppearance, cancellationToken,
                     ("@seqs", rows.Select(row => row.Seq).ToArray())))
            (bySeq.TryGetValue(seq, out var list) ? list : bySeq[seq] = []).Add(appearance);
        return rows.Select(row => row with { Claim = row.Claim with { Appearances = bySeq.GetValueOrDefault(row.Seq) ?? [] } }).ToList();
    }

    /// <summary>The seq and text of every claim not deleted, in pages of <paramref name="pageSize"/> by seq, so memory
    /// stays bounded however many claims there are (for rebuilding an index in a migration's transaction).</summary>
    public static async IAsyncEnumerable<List<(long Seq, string Text)>> LiveTextPagesAsync(DbSession session, int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long after = 0; ;)
        {
            var page = await session.QueryAsync("SELECT seq, text FROM claims WHERE seq > @after AND delete_time IS NULL ORDER BY seq LIMIT @limit",
                row => (Seq: row.Int64(0), Text: row.String(1)), cancellationToken, ("@after", after), ("@limit", pageSize));
            if (page.Count > 0) yield return page;
            if (page.Count < pageSize) yield break;
            after = page[^1].Seq;
        }
    }

    /// <summary>The non-deleted claim to change, locked (<see cref="SqlDialect.ForUpdate"/>) and checked as
    /// <see cref="VersionCheck"/> says, with its appearances read after the lock, so they are the locked version's.</summary>
    public async Task<Sequenced<Claim>> LockLiveAsync(DbSession session, string id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(session, lockLive, cancellationToken, ("@id", id));
        return VersionCheck.Checked(rows.Select(row => new Sequenced<Claim>(row.Claim, row.Seq)).ToList(), c => c.Version, expectedVersion,
            ResourceNames.Claim(id));
    }
}
