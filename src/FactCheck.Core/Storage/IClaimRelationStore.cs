using FactCheck.Core.Relations;

namespace FactCheck.Core.Storage;

/// <summary>Typed relations between claims: suggested by the service, confirmed or rejected by reviewers (audited as
/// <see cref="IAuditStore"/> states). A pair of claims has at most one relation of each kind.</summary>
public interface IClaimRelationStore
{
    /// <summary>
    /// Replaces the open suggestions (state SUGGESTED) touching the claims <paramref name="claimKeys"/> with
    /// <paramref name="suggestions"/>, in one transaction: a claim that was re-embedded is suggested afresh. A
    /// suggestion for a pair and kind that a reviewer already decided is left out, as is one naming a deleted claim.
    /// Not audited: suggestions are the service's, decisions are people's. Returns the suggestions stored.
    /// </summary>
    Task<IReadOnlyList<ClaimRelation>> ReplaceSuggestionsAsync(IReadOnlyCollection<long> claimKeys, IReadOnlyList<ClaimRelation> suggestions,
        CancellationToken cancellationToken);

    /// <summary>The relation, if <paramref name="claimId"/> is either of its claims and both are live.</summary>
    Task<ClaimRelation?> GetRelationAsync(string claimId, string relationId, CancellationToken cancellationToken);

    /// <summary>Relations with <paramref name="claimId"/> on either side (the other claim live), in the order they were
    /// made, after <paramref name="afterSequence"/>; only those in <paramref name="state"/> when given.</summary>
    Task<IReadOnlyList<Sequenced<ClaimRelation>>> ListRelationsAsync(string claimId, RelationState? state, long afterSequence, int limit,
        CancellationToken cancellationToken);

    /// <summary>Sets the relation's state, reviewer and review time if its version is still
    /// <paramref name="expectedVersion"/> (NotFound for a missing relation, <see cref="Errors.VersionConflictException"/>
    /// for another version), with its audit event.</summary>
    Task<ClaimRelation> ReviewRelationAsync(ClaimRelation reviewed, long expectedVersion, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>The confirmed relations with any of the claims <paramref name="claimKeys"/> on either side, each with the
    /// live claim at its other end (and that claim's key).</summary>
    Task<IReadOnlyList<(ClaimRelation Relation, Sequenced<Claims.Claim> Other, string ViaClaimId)>> ConfirmedRelationsAsync(
        IReadOnlyCollection<long> claimKeys, CancellationToken cancellationToken);
}
