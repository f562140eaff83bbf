using FactCheck.Core.Claims;

namespace FactCheck.Core.Verification;

public enum Verdict
{
    Unspecified = 0,
    /// <summary>The speaker's own words (or a close variant) are on record.</summary>
    Supported = 1,
    PartiallySupported = 2,
    Misattributed = 3,
    NotFound = 4,
    /// <summary>Said in substance, not in these words: a rewording or translation of the speaker's words, or the
    /// reporter's paraphrase of them. Only <see cref="VerificationDecision"/> gives it.</summary>
    SupportedInSubstance = 5,
    /// <summary>The speaker is on record saying the opposite. Only <see cref="VerificationDecision"/> gives it.</summary>
    Contradicted = 6,
}

/// <summary>A candidate claim and how the queried text scored against it.</summary>
public sealed record ScoredCandidate(Claim Claim, QuoteMatch Match);

/// <summary>
/// A claim that matched, with <see cref="Contribution"/> = similarity × attribution confidence × status factor:
/// how much this record supports the words having been said by the claim's speaker.
/// </summary>
public sealed record AttributionMatch(Claim Claim, double Similarity, MatchKind Kind, double Contribution);

/// <param name="Confidence">The contribution of the match the verdict rests on; 0 for NotFound.</param>
/// <param name="Matches">Every candidate with a match of at least <see cref="MatchKind.Partial"/>, best first.</param>
/// <param name="OtherSpeakerIds">For Misattributed: the speakers the words are on record from, best first.</param>
public sealed record AttributionResult(
    Verdict Verdict, double Confidence, IReadOnlyList<AttributionMatch> Matches, IReadOnlyList<string> OtherSpeakerIds);

/// <summary>
/// Decides whether records support attributing a text to a speaker.
/// <list type="bullet">
/// <item><b>Supported</b>: an Exact or Near match with a DIRECT_QUOTE of the claimed speaker. Any other kind is
/// the reporter's wording (PARAPHRASE, INSTITUTIONAL, UNSPECIFIED) or hearsay (SECOND_HAND), so even identical
/// words only show the gist is theirs.</item>
/// <item><b>PartiallySupported</b>: any other match with a claim of the claimed speaker: a fragment, a partial
/// overlap, a non-verbatim kind, or a record whose status is MISQUOTED (the record itself says those words are
/// not quite theirs).</item>
/// <item><b>Misattributed</b>: an Exact, Near or Fragment match from other named speakers, more similar than
/// anything from the claimed speaker; or such a match with a claim of the claimed speaker whose status is
/// MISATTRIBUTED, which is our own record that they did not say it.</item>
/// <item><b>NotFound</b>: nothing of the above. Claims without a speaker (unnamed sources) are listed as
/// matches but decide nothing: they can neither support a named speaker nor be named instead.</item>
/// </list>
/// A claim whose status is MISATTRIBUTED never counts as support for its speaker.
/// </summary>
public static class AttributionVerdict
{
    /// <summary>When a date is given, claims said within this many days of it rank higher.</summary>
    public const int DateWindowDays = 3;

    /// <summary>Ranking bonus (×1.1) for a claim within the date window. Ranking only: confidences are unchanged.</summary>
    public const double DateBonus = 0.1;

    /// <summary>
    /// How far a record's status lets it vouch for its attribution: verified fully, unverified mostly (most
    /// records are), disputed or unverifiable by half, misquoted little (the speaker said something, not this),
    /// misattributed least. UNSPECIFIED is treated as unverified.
    /// </summary>
    public static double StatusFactor(VerificationStatus status) => status switch
    {
        VerificationStatus.Verified => 1.0,
        VerificationStatus.Disputed or VerificationStatus.Unverifiable => 0.5,
        VerificationStatus.Misquoted => 0.3,
        VerificationStatus.Misattributed => 0.2,
        _ => 0.8,
    };

    /// <summary>Scores each candidate against the text and decides.</summary>
    public static AttributionResult Verify(string text, string? claimedSpeakerId, IEnumerable<Claim> candidates, DateOnly? saidOn = null)
    {
        var query = QuoteSimilarity.Prepare(text);
        return Decide(claimedSpeakerId, candidates.Select(claim => new ScoredCandidate(claim, QuoteSimilarity.Score(query, claim.Text))), saidOn);
    }

    /// <param name="claimedSpeakerId">The speaker the text is attributed to, or null if the name resolved to nobody.</param>
    /// <param name="saidOn">When the text was reportedly said; claims from around then rank higher.</param>
    public static AttributionResult Decide(string? claimedSpeakerId, IEnumerable<ScoredCandidate> candidates, DateOnly? saidOn = null)
    {
        var matches = candidates
            .Where(c => c.Match.Kind != MatchKind.None)
            .Select(c => new AttributionMatch(c.Claim, c.Match.Similarity, c.Match.Kind, Contribution(c.Claim, c.Match.Similarity)))
            .OrderByDescending(m => m.Contribution * (WithinWindow(m.Claim, saidOn) ? 1 + DateBonus : 1))
            .ThenByDescending(m => m.Similarity)
            .ThenBy(m => m.Claim.Id, StringComparer.Ordinal)
            .ToList();

        bool Claimed(AttributionMatch m) => claimedSpeakerId is not null && m.Claim.SpeakerId == claimedSpeakerId;
        bool Disowned(AttributionMatch m) => m.Claim.Status == VerificationStatus.Misattributed;
        bool Strong(AttributionMatch m) => m.Kind >= MatchKind.Fragment;

        var support = matches.FirstOrDefault(m => Claimed(m) && m.Kind >= MatchKind.Near
            && m.Claim.Kind == AttributionKind.DirectQuote && m.Claim.Status is not (VerificationStatus.Misattributed or VerificationStatus.Misquoted));
        if (support is not null) return new(Verdict.Supported, support.Contribution, matches, []);

        var partial = matches.FirstOrDefault(m => Claimed(m) && !Disowned(m));
        var elsewhere = matches.Where(m => m.Claim.SpeakerId is not null && !Claimed(m) && !Disowned(m) && Strong(m)).ToList();
        var disowned = matches.FirstOrDefault(m => Claimed(m) && Disowned(m) && Strong(m));
        var against = elsewhere.Select(m => m.Similarity).Append(disowned?.Similarity ?? 0).Max();
        if ((elsewhere.Count > 0 || disowned is not null) && (partial is null || against > partial.Similarity))
        {
            // Other speakers' records vouch for their attribution; our own MISATTRIBUTED record vouches for the
            // verdict through its similarity and attribution confidence, its status being the evidence.
            var confidence = elsewhere.Count > 0 ? elsewhere[0].Contribution : disowned!.Similarity * Clamp(disowned.Claim.AttributionConfidence);
            return new(Verdict.Misattributed, confidence, matches, [.. elsewhere.Select(m => m.Claim.SpeakerId!).Distinct()]);
        }

        return partial is not null
            ? new(Verdict.PartiallySupported, partial.Contribution, matches, [])
            : new(Verdict.NotFound, 0, matches, []);
    }

    private static double Contribution(Claim claim, double similarity) =>
        similarity * Clamp(claim.AttributionConfidence) * StatusFactor(claim.Status);

    private static double Clamp(double confidence) => Math.Clamp(confidence, 0, 1);

    private static bool WithinWindow(Claim claim, DateOnly? saidOn)
    {
        if (saidOn is null) return false;
        // When it was said, else when it was first published; not when we recorded it.
        var day = claim.SaidOn ?? claim.Appearances.Where(a => a.PublishTime is not null)
            .Select(a => (DateOnly?)DateOnly.FromDateTime(a.PublishTime!.Value.UtcDateTime)).Min();
        return day is not null && Math.Abs(day.Value.DayNumber - saidOn.Value.DayNumber) <= DateWindowDays;
    }
}
