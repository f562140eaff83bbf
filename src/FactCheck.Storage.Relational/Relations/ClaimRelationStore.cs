using FactCheck.Core.Relations;

namespace FactCheck.Storage.Relational.Relations;

/// <summary>Typed relations between claims (<see cref="IClaimRelationStore"/>), in both databases.</summary>
public sealed class ClaimRelationStore(RelationalDatabase database) : IClaimRelationStore
{
    /// <summary>A relation (r) with its two claims (a: the subject, b: the related claim), both live.</summary>
    private const string Columns =
        "r.seq, r.id, a.id, b.id, r.kind, r.state, r.score, r.create_time, r.reviewer, r.review_time, r.version, a.seq, b.seq";

    private const string Joined =
        "claim_relations r JOIN claims a ON a.seq = r.claim_seq AND a.delete_time IS NULL JOIN claims b ON b.seq = r.related_seq AND b.delete_time IS NULL";

    private readonly ClaimReads claims = new(database.Dialect);

    public async Task<IReadOnlyList<ClaimRelation>> ReplaceSuggestionsAsync(IReadOnlyCollection<long> claimKeys, IReadOnlyList<ClaimRelation> suggestions,
        CancellationToken cancellationToken)
    {
        if (claimKeys.Count == 0 && suggestions.Count == 0) return [];
        var dialect = database.Dialect;
        return await database.WriteAsync<IReadOnlyList<ClaimRelation>>(async session =>
        {
            var batch = session.Batch().Add(
                $"DELETE FROM claim_relations WHERE state = @suggested AND ({dialect.IsIn("claim_seq", "@keys")} OR {dialect.IsIn("related_seq", "@keys")})",
                ("@suggested", (int)RelationState.Suggested), ("@keys", claimKeys.ToArray()));
            await batch.ExecuteAsync(cancellationToken);
            var inserts = session.Batch();
            foreach (var s in suggestions)
                inserts.Add(
                    """
                    INSERT INTO claim_relations (id, claim_seq, related_seq, kind, state, score, create_time, version)
                    SELECT @id, a.seq, b.seq, @kind, @state, @score, @create_time, 1 FROM claims a, claims b
                    WHERE a.id = @claim_id AND b.id = @related_id AND a.delete_time IS NULL AND b.delete_time IS NULL
                    ON CONFLICT (claim_seq, related_seq, kind) DO NOTHING
                    RETURNING id
                    """, ("@id", s.Id), ("@kind", (int)s.Kind), ("@state", (int)RelationState.Suggested), ("@score", s.Score),
                    ("@create_time", TruncateToMicros(s.CreateTime)), ("@claim_id", s.ClaimId), ("@related_id", s.RelatedClaimId));
            var stored = (await inserts.QueryAsync(row => row.String(0), cancellationToken)).ToHashSet();
            return [.. suggestions.Where(s => stored.Contains(s.Id)).Select(s => s with
            {
                State = RelationState.Suggested, CreateTime = TruncateToMicros(s.CreateTime), Version = 1,
            })];
        }, cancellationToken);
    }

    public async Task<ClaimRelation?> GetRelationAsync(string claimId, string relationId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {Columns} FROM {Joined} WHERE r.id = @id AND (a.id = @claim_id OR b.id = @claim_id)", Read, cancellationToken,
            ("@id", relationId), ("@claim_id", claimId)), cancellationToken)).Select(row => row.Relation).SingleOrDefault();

    /// <summary>The claim's relations as subject and as related claim, each a range of an index, merged by seq.</summary>
    public async Task<IReadOnlyList<Sequenced<ClaimRelation>>> ListRelationsAsync(string claimId, RelationState? state, long afterSequence, int limit,
        CancellationToken cancellationToken) =>
        (await database.ReadAsync(session => session.QueryAsync(
            $"""
            SELECT {Columns} FROM {Joined}
            WHERE (r.claim_seq = (SELECT seq FROM claims WHERE id = @claim_id) OR r.related_seq = (SELECT seq FROM claims WHERE id = @claim_id))
              AND r.seq > @after AND (@state = 0 OR r.state = @state)
            ORDER BY r.seq LIMIT @limit
            """, Read, cancellationToken, ("@claim_id", claimId), ("@after", afterSequence), ("@state", (int)(state ?? RelationState.Unspecified)),
            ("@limit", limit)), cancellationToken))
        .Select(row => new Sequenced<ClaimRelation>(row.Relation, row.Seq)).ToList();

    public Task<ClaimRelation> ReviewRelationAsync(ClaimRelation reviewed, long expectedVersion, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var rows = await session.QueryAsync(
                $"SELECT {Columns} FROM {Joined} WHERE r.id = @id {session.Dialect.ForUpdate}", Read, cancellationToken, ("@id", reviewed.Id));
            var (stored, seq) = VersionCheck.Checked(rows.Select(row => new Sequenced<ClaimRelation>(row.Relation, row.Seq)).ToList(),
                r => r.Version, expectedVersion, reviewed.ResourceName);
            var updated = stored with
            {
                State = reviewed.State,
                Reviewer = reviewed.Reviewer,
                ReviewTime = session.Now(),
                Version = expectedVersion + 1,
            };
            await session.ExecuteAsync(
                "UPDATE claim_relations SET state = @state, reviewer = @reviewer, review_time = @review_time, version = @version WHERE seq = @seq",
                cancellationToken, ("@state", (int)updated.State), ("@reviewer", updated.Reviewer), ("@review_time", updated.ReviewTime),
                ("@version", updated.Version), ("@seq", seq));
            await AuditAppender.AppendAsync(session, AuditAppender.Draft(audit, updated.ResourceName, stored, updated), cancellationToken);
            return updated;
        }, cancellationToken);

    public async Task<IReadOnlyList<(ClaimRelation Relation, Sequenced<Claim> Other, string ViaClaimId)>> ConfirmedRelationsAsync(
        IReadOnlyCollection<long> claimKeys, CancellationToken cancellationToken)
    {
        if (claimKeys.Count == 0) return [];
        var dialect = database.Dialect;
        return await database.ReadAsync<IReadOnlyList<(ClaimRelation, Sequenced<Claim>, string)>>(async session =>
        {
            var rows = await session.QueryAsync(
                $"""
                SELECT {Columns} FROM {Joined}
                WHERE r.state = @confirmed AND ({dialect.IsIn("r.claim_seq", "@keys")} OR {dialect.IsIn("r.related_seq", "@keys")})
                """, Read, cancellationToken, ("@confirmed", (int)RelationState.Confirmed), ("@keys", claimKeys.ToArray()));
            if (rows.Count == 0) return [];
            var keys = claimKeys.ToHashSet();
            // Each end among the given claims leads to the other end.
            var links = rows.SelectMany(row => new[]
            {
                keys.Contains(row.SubjectSeq) ? (row.Relation, Via: row.Relation.ClaimId, Other: row.RelatedSeq) : default,
                keys.Contains(row.RelatedSeq) ? (row.Relation, Via: row.Relation.RelatedClaimId, Other: row.SubjectSeq) : default,
            }).Where(link => link.Relation is not null).ToList();
            var others = (await claims.QueryAsync(session,
                    $"SELECT {ClaimRows.Columns} FROM claims c WHERE {dialect.IsIn("c.seq", "@seqs")} AND c.delete_time IS NULL", cancellationToken,
                    ("@seqs", links.Select(l => l.Other).Distinct().ToArray())))
                .ToDictionary(row => row.Seq, row => new Sequenced<Claim>(row.Claim, row.Seq));
            return [.. links.Where(l => others.ContainsKey(l.Other)).Select(l => (l.Relation, others[l.Other], l.Via))];
        }, cancellationToken);
    }

    private static (ClaimRelation Relation, long Seq, long SubjectSeq, long RelatedSeq) Read(DbRow r) => (new ClaimRelation
    {
        Id = r.String(1),
        ClaimId = r.String(2),
        RelatedClaimId = r.String(3),
        Kind = (RelationKind)r.Int32(4),
        State = (RelationState)r.Int32(5),
        Score = r.Double(6),
        CreateTime = r.Time(7),
        Reviewer = r.NullableString(8),
        ReviewTime = r.NullableTime(9),
        Version = r.Int64(10),
    }, r.Int64(0), r.Int64(11), r.Int64(12));
}
