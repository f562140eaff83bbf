namespace FactCheck.Storage.Relational.Claims;

/// <summary>
/// The listing query: the fixed filter fragments that apply, newest first by (sort day, seq), each claim with its
/// appearances (<see cref="ClaimRows.ColumnsWithAppearances"/>: one statement). Each database walks an
/// index whose order is the listing order, from the cursor, with no sort, so a page reads only its own rows however
/// deep it is. Plans with a cursor (checked by SqliteStoreTests and PostgresStoreTests):
/// <code>
/// SQLite 3.53    by speaker:     SEARCH c USING INDEX claims_by_speaker (speaker_id=? AND sort_day&lt;?)
///                by publication: SEARCH c USING INDEX claims_by_day (sort_day&lt;?)
///                                SEARCH a EXISTS USING COVERING INDEX appearances_by_publication (publication_folded=? AND claim_seq=?)
/// PostgreSQL 15  by speaker:     Index Scan using claims_by_speaker on claims c
///                                  Index Cond: ((speaker_id = 'speaker7'::text) AND (ROW(sort_day, seq) &lt; ROW(738500, '1000'::bigint)))
/// (20,000 claims) otherwise:     Index Scan using claims_by_day on claims c
///                                  Index Cond: (ROW(sort_day, seq) &lt; ROW(738500, '1000'::bigint))
/// </code>
/// ("&lt;" on SQLite's DESC column means: from the cursor towards older.) The other filters are cheap checks on the
/// same walk. A rare publication is the slow case for SQLite (the walk skips non-matching claims); PostgreSQL then
/// rather starts from appearances_by_publication and sorts the few matches.
/// </summary>
public static class ClaimListing
{
    public static (string Sql, (string, object?)[] Parameters) Query(SqlDialect dialect, ClaimFilter filter, ClaimCursor? after, int limit)
    {
        // The literal "delete_time IS NULL" is what lets the databases use the partial indexes.
        var conditions = new List<string> { "c.delete_time IS NULL" };
        var parameters = new List<(string, object?)> { ("@limit", limit) };
        void Where(string condition, params (string, object?)[] values)
        {
            conditions.Add(condition);
            parameters.AddRange(values);
        }

        if (filter.SpeakerId is { } speakerId) Where("c.speaker_id = @speaker_id", ("@speaker_id", speakerId));
        if (filter.Publication is { } publication)
            Where("EXISTS (SELECT 1 FROM appearances a WHERE a.publication_folded = @publication AND a.claim_seq = c.seq)",
                ("@publication", FoldPublication(publication)));
        if (filter.SaidOnOrAfter is { } from) Where("c.said_on >= @said_from", ("@said_from", from));
        if (filter.SaidOnOrBefore is { } to) Where("c.said_on <= @said_to", ("@said_to", to));
        if (filter.Status is { } status) Where("c.status = @status", ("@status", (int)status));
        if (filter.Kind is { } kind) Where("c.kind = @kind", ("@kind", (int)kind));
        if (after is not null)
            Where(dialect.PairBelow("c.sort_day", "c.seq", "@after_day", "@after_seq"),
                ("@after_day", after.SortDay.DayNumber), ("@after_seq", after.Sequence));

        return ($"SELECT {ClaimRows.ColumnsWithAppearances(dialect)} FROM claims c WHERE {string.Join(" AND ", conditions)} ORDER BY c.sort_day DESC, c.seq DESC LIMIT @limit",
            parameters.ToArray());
    }
}
