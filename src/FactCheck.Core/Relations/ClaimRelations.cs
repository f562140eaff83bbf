namespace FactCheck.Core.Relations;

/// <summary>Use cases on claim relations: listing a claim's, and a reviewer's decision on a suggested one (audited).</summary>
public sealed class ClaimRelations(IClaimRelationStore store, IClaimStore claims, PageTokens pageTokens, IDomainEvents events, TimeProvider clock)
{
    public async Task<(IReadOnlyList<ClaimRelation> Relations, string NextPageToken)> ListAsync(string claimId, RelationState? state, int pageSize,
        string? pageToken, CancellationToken cancellationToken)
    {
        if (state is { } s && (s == RelationState.Unspecified || !Enum.IsDefined(s))) throw new InvalidArgumentException("state", "unknown relation state");
        var limit = PageSize.Resolve(pageSize);
        var query = $"relations\n{claimId}\n{(int?)state}";
        var after = await pageTokens.DecodeSequenceAsync(pageToken, query, cancellationToken);
        if (after == 0 && await claims.GetClaimAsync(claimId, cancellationToken) is null) throw new NotFoundException(ResourceNames.Claim(claimId));
        var rows = await store.ListRelationsAsync(claimId, state, after, limit + 1, cancellationToken);
        var next = rows.Count > limit ? await pageTokens.EncodeSequenceAsync(query, rows[limit - 1].Sequence, cancellationToken) : "";
        return ([.. rows.Take(limit).Select(r => r.Item)], next);
    }

    /// <summary>A reviewer confirms or rejects a relation (a decision may be changed later, by another audited
    /// decision). Deciding what is already decided changes nothing and audits nothing.</summary>
    public async Task<ClaimRelation> DecideAsync(string claimId, string relationId, RelationState decision, string? etag, Actor actor,
        CancellationToken cancellationToken)
    {
        if (decision is not (RelationState.Confirmed or RelationState.Rejected))
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "a decision confirms or rejects");
        ClaimRelation? current = null;
        var decided = await OptimisticUpdate.RunAsync(ResourceNames.Relation(claimId, relationId), etag,
            async () => await store.GetRelationAsync(claimId, relationId, cancellationToken) is { } r && r.ClaimId == claimId ? r : null,
            r => r.Version,
            stored => (current = stored).State == decision ? stored : stored with { State = decision, Reviewer = actor.Principal, ReviewTime = clock.GetUtcNow() },
            (updated, version) => ReferenceEquals(updated, current) ? Task.FromResult(updated) : store.ReviewRelationAsync(updated, version,
                actor.For(decision == RelationState.Confirmed ? AuditActions.RelationConfirm : AuditActions.RelationReject), cancellationToken));
        var unchanged = ReferenceEquals(decided, current);
        if (!unchanged) await events.PublishAsync(new RelationsChanged([decided.ClaimId, decided.RelatedClaimId], AffectsVerdicts: true));
        return decided;
    }
}
