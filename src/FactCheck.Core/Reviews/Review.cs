using FactCheck.Core.Claims;

namespace FactCheck.Core.Reviews;

// Numeric values match factcheck.v1.ReviewVerdict so mapping is a cast.
public enum ReviewVerdict { Unspecified = 0, Accurate = 1, Misattributed = 2, Misquoted = 3, OutOfContext = 4, Unverifiable = 5, False = 6 }

/// <summary>A reviewer's verdict on a claim. Never edited: a later review of the same claim supersedes it.</summary>
public sealed record Review
{
    public required string Id { get; init; }
    public required string ClaimId { get; init; }
    /// <summary>The authenticated principal who reviewed.</summary>
    public required string Reviewer { get; init; }
    public ReviewVerdict Verdict { get; init; }
    public required string Explanation { get; init; }
    public IReadOnlyList<string> EvidenceUrls { get; init; } = [];
    public DateTimeOffset CreateTime { get; init; }
    /// <summary>The review this one replaced as the claim's current one, if any.</summary>
    public string? SupersedesId { get; init; }

    public string ResourceName => $"{ResourceNames.Claim(ClaimId)}/reviews/{Id}";

    /// <summary>The verification status a claim takes from its latest review.</summary>
    public static VerificationStatus StatusFor(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.Accurate => VerificationStatus.Verified,
        ReviewVerdict.Misattributed => VerificationStatus.Misattributed,
        ReviewVerdict.Misquoted => VerificationStatus.Misquoted,
        ReviewVerdict.Unverifiable => VerificationStatus.Unverifiable,
        ReviewVerdict.OutOfContext or ReviewVerdict.False => VerificationStatus.Disputed,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}
