using FactCheck.Core.Claims;

namespace FactCheck.Core.Storage;

/// <summary>What <see cref="IClaimStore.ListClaimsAsync"/> lists: every condition given must hold.</summary>
public sealed record ClaimFilter
{
    public string? SpeakerId { get; init; }
    /// <summary>Compared case-insensitively with any appearance's publication.</summary>
    public string? Publication { get; init; }
    /// <summary>Inclusive bounds on the day said: a claim without a day said matches neither.</summary>
    public DateOnly? SaidOnOrAfter { get; init; }
    public DateOnly? SaidOnOrBefore { get; init; }
    public VerificationStatus? Status { get; init; }
    public AttributionKind? Kind { get; init; }
}

/// <summary>Position after the last claim of a page: keyset paging on (sort day desc, sequence desc).</summary>
public sealed record ClaimCursor(DateOnly SortDay, long Sequence);
