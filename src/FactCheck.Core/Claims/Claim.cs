namespace FactCheck.Core.Claims;

// Numeric values match the factcheck.v1 enums so mapping is a cast.
public enum AttributionKind { Unspecified = 0, DirectQuote = 1, Paraphrase = 2, UnnamedSource = 3, Institutional = 4, SecondHand = 5 }

public enum VerificationStatus { Unspecified = 0, Unverified = 1, Verified = 2, Disputed = 3, Misattributed = 4, Misquoted = 5, Unverifiable = 6 }

public sealed record Appearance
{
    public required string Url { get; init; }
    public required string Publication { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset? PublishTime { get; init; }
    public IReadOnlyList<string> CreditedOutlets { get; init; } = [];
    public string? QuotedSentence { get; init; }
}

public sealed record Claim
{
    public required string Id { get; init; }
    public string? SpeakerId { get; init; }
    public string? AttributedTo { get; init; }
    public required string Text { get; init; }
    public AttributionKind Kind { get; init; }
    public DateOnly? SaidOn { get; init; }
    public IReadOnlyList<Appearance> Appearances { get; init; } = [];
    public string? Context { get; init; }
    public required string LanguageCode { get; init; }
    public double AttributionConfidence { get; init; }
    public VerificationStatus Status { get; init; } = VerificationStatus.Unverified;
    public DateTimeOffset CreateTime { get; init; }
    public DateTimeOffset UpdateTime { get; init; }
    public long Version { get; init; }

    public string ResourceName => ResourceNames.Claim(Id);

    /// <summary>
    /// The day that orders listings, newest first: when it was said, else when it first appeared, else when we
    /// recorded it. Stored as a column so listing is a keyset scan on (speaker, sort day, sequence).
    /// </summary>
    public DateOnly SortDay =>
        SaidOn
        ?? Appearances.Where(a => a.PublishTime is not null).Select(a => (DateOnly?)DateOnly.FromDateTime(a.PublishTime!.Value.UtcDateTime)).Min()
        ?? DateOnly.FromDateTime(CreateTime.UtcDateTime);

    /// <summary>Index of the earliest-published appearance (ties and undated ones: the first added).</summary>
    public int FirstAppearanceIndex
    {
        get
        {
            var best = 0;
            for (var i = 1; i < Appearances.Count; i++)
            {
                var candidate = Appearances[i].PublishTime;
                var current = Appearances[best].PublishTime;
                if (candidate is not null && (current is null || candidate < current)) best = i;
            }
            return best;
        }
    }
}

public sealed record ScoredClaim(Claim Claim, double Relevance);
