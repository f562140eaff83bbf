namespace FactCheck.Core.Relations;

/// <summary>How one claim relates to another. Numeric values match the factcheck.v1 enum so mapping is a cast.</summary>
public enum RelationKind
{
    Unspecified = 0,
    /// <summary>The same party says the same thing again (in the same or other words), on another occasion or in
    /// another report.</summary>
    Repeats = 1,
    /// <summary>The claim is a part of the related claim's words.</summary>
    FragmentOf = 2,
    /// <summary>The same meaning, on record from another party.</summary>
    ParaphraseOf = 3,
    /// <summary>The claim says the opposite of the related claim.</summary>
    Contradicts = 4,
    /// <summary>The same meaning in another language (as far as the model can tell: see README, "Semantics").</summary>
    TranslationOf = 5,
}

/// <summary>Where a relation stands: suggested by the service, then confirmed or rejected by a reviewer.</summary>
public enum RelationState { Unspecified = 0, Suggested = 1, Confirmed = 2, Rejected = 3 }

/// <summary>
/// A typed link between two claims: <see cref="ClaimId"/> <see cref="Kind"/> <see cref="RelatedClaimId"/> ("B
/// REPEATS A", "B FRAGMENT_OF A"). The service suggests them after embedding a claim (<see cref="RelationSuggester"/>);
/// a reviewer confirms or rejects each, and only confirmed ones count in verification.
/// </summary>
public sealed record ClaimRelation
{
    public required string Id { get; init; }
    public required string ClaimId { get; init; }
    public required string RelatedClaimId { get; init; }
    public RelationKind Kind { get; init; }
    public RelationState State { get; init; } = RelationState.Suggested;
    /// <summary>How strongly the evidence suggested it, in [0, 1]: the match's similarity (the cosine for a rewording).</summary>
    public double Score { get; init; }
    public DateTimeOffset CreateTime { get; init; }
    /// <summary>The reviewer who confirmed or rejected it, and when.</summary>
    public string? Reviewer { get; init; }
    public DateTimeOffset? ReviewTime { get; init; }
    public long Version { get; init; }

    public string ResourceName => ResourceNames.Relation(ClaimId, Id);

    /// <summary>The claim at the other end from <paramref name="claimId"/>.</summary>
    public string OtherThan(string claimId) => claimId == ClaimId ? RelatedClaimId : ClaimId;
}
