using FactCheck.Core.Claims;
using FactCheck.Core.Relations;
using FactCheck.Core.Speakers;

namespace FactCheck.Core.Verification;

/// <summary>The answer to "did this speaker say these words?" (<see cref="VerificationDecision"/>). Numeric values
/// match the factcheck.v1 enum so mapping is a cast.</summary>
public enum Verdict
{
    Unspecified = 0,
    /// <summary>The speaker's own words (or a close variant) are on record.</summary>
    Supported = 1,
    /// <summary>A fragment of their words, a partial overlap, or a record that is second-hand or misquoted.</summary>
    PartiallySupported = 2,
    /// <summary>On record from someone else, or otherwise not theirs as stated (<see cref="ReasonCode"/>).</summary>
    Misattributed = 3,
    NotFound = 4,
    /// <summary>Said in substance, not in these words: a rewording or translation of the speaker's words, or the
    /// reporter's paraphrase of them.</summary>
    SupportedInSubstance = 5,
    /// <summary>The speaker is on record saying the opposite.</summary>
    Contradicted = 6,
}

/// <summary>Why words are MISATTRIBUTED or CONTRADICTED: the mechanisms misquotation research (Quote Investigator)
/// documents, each shown with its evidence claim. Numeric values are kept for a proto enum to mirror.</summary>
public enum ReasonCode
{
    Unspecified = 0,
    /// <summary>The words are on record from someone else.</summary>
    SaidByOther = 1,
    /// <summary>The words are on record only from unnamed sources, and are credited to a named speaker.</summary>
    UnnamedSourceCredited = 2,
    /// <summary>The record is the reporter's paraphrase (or an institution's statement in the reporter's words), and
    /// the words are presented in quotation marks as the speaker's own.</summary>
    ParaphraseAsQuote = 3,
    /// <summary>The speaker was relaying someone else's words, which are on record from their originator.</summary>
    SecondHandRelay = 4,
    /// <summary>The speaker did not hold the stated role when the words were said, or the words were said years away
    /// from the date given.</summary>
    WrongTimeOrRole = 5,
    /// <summary>The speaker is on record saying the opposite.</summary>
    SaidTheOpposite = 6,
    /// <summary>Our own review of the speaker's record says they did not say it.</summary>
    DisownedByReview = 7,
}

/// <summary>Who a claim is from: a speaker of ours, or the source as the article wrote it (unnamed sources,
/// institutions without a speaker record).</summary>
public sealed record Party(string? SpeakerId, string? AttributedTo)
{
    public static Party Of(Claim claim) => new(claim.SpeakerId, claim.SpeakerId is null ? claim.AttributedTo : null);

    public override string ToString() => SpeakerId ?? AttributedTo ?? "";
}

/// <summary>Who the client says said the words.</summary>
/// <param name="Text">The name or description as the client wrote it; empty asks "who said this?".</param>
/// <param name="Speaker">The speaker it resolved to, if any.</param>
public sealed record ClaimedSpeaker(string Text, Speaker? Speaker)
{
    public static readonly ClaimedSpeaker Nobody = new("", null);

    public bool IsEmpty => Speaker is null && string.IsNullOrWhiteSpace(Text);
}

/// <param name="SaidOn">When the words were reportedly said; claims from around then rank higher, and words said
/// years away from it are <see cref="ReasonCode.WrongTimeOrRole"/>.</param>
public sealed record VerificationQuery(string Text, ClaimedSpeaker Claimed, DateOnly? SaidOn = null);

/// <summary>A claim found by the shingle index, the vector index or both.</summary>
/// <param name="Cosine">Cosine similarity of the query's and the claim's vectors; null when either has none (no
/// model configured, or the claim is not embedded yet): the claim is then judged on its words alone.</param>
public sealed record Candidate(Claim Claim, double? Cosine);

/// <summary>What a match with one claim says about another, by a relation a reviewer confirmed.</summary>
internal enum LinkMeaning
{
    /// <summary>The other claim says the same (REPEATS, PARAPHRASE_OF, TRANSLATION_OF).</summary>
    Same,
    /// <summary>The other claim says the opposite (CONTRADICTS).</summary>
    Opposite,
    /// <summary>The other claim is the longer statement the matched claim is a fragment of (FRAGMENT_OF).</summary>
    ContainsVia,
}

/// <summary>A relation a reviewer confirmed, seen from a claim the text may match (<see cref="ViaClaimId"/>) towards
/// <see cref="Other"/>: what a match with the first says about the second.</summary>
public sealed class ConfirmedLink
{
    private ConfirmedLink(string viaClaimId, Claim other, LinkMeaning meaning) => (ViaClaimId, Other, Meaning) = (viaClaimId, other, meaning);

    public string ViaClaimId { get; }
    public Claim Other { get; }
    internal LinkMeaning Meaning { get; }

    /// <summary>The link a confirmed relation makes from <paramref name="viaClaimId"/> (one of its two claims) to
    /// <paramref name="other"/> (the other one); null when a match with the first says nothing about the second (the
    /// longer statement does not vouch for each of its fragments), or the relation is not confirmed.</summary>
    public static ConfirmedLink? Of(ClaimRelation relation, string viaClaimId, Claim other)
    {
        if (relation.State != RelationState.Confirmed) return null;
        LinkMeaning? meaning = relation.Kind switch
        {
            RelationKind.Repeats or RelationKind.ParaphraseOf or RelationKind.TranslationOf => LinkMeaning.Same,
            RelationKind.Contradicts => LinkMeaning.Opposite,
            RelationKind.FragmentOf when relation.ClaimId == viaClaimId => LinkMeaning.ContainsVia,
            _ => null,
        };
        return meaning is null ? null : new ConfirmedLink(viaClaimId, other, meaning.Value);
    }
}

/// <param name="Similarity">Lexical similarity for EXACT/NEAR/FRAGMENT/PARTIAL; for PARAPHRASE the cosine; for
/// CONTRADICTS the stronger of the two.</param>
/// <param name="Contribution">Similarity × attribution confidence × status factor
/// (<see cref="VerificationDecision.StatusFactor"/>): how much this record vouches for the match.</param>
/// <param name="Signal">Which signal decided the kind: "words", "meaning" (the model), "polarity" (the lexicon),
/// "relation" (a relation a reviewer confirmed, <see cref="ConfirmedLink"/>).</param>
public sealed record MeaningMatch(Claim Claim, MatchKind Kind, double Similarity, double? Cosine, double Contribution, string Signal);

/// <summary>One source on record for the words ("who said this?").</summary>
/// <param name="FirstClaim">Its matching claim that appeared first.</param>
/// <param name="FirstAppearance">That claim's earliest appearance, if it has one.</param>
public sealed record Originator(Party Party, AttributionKind Kind, MatchKind Match, double Similarity, Claim FirstClaim, Appearance? FirstAppearance);

/// <param name="Confidence">The contribution of the match the verdict rests on; 0 for NOT_FOUND.</param>
/// <param name="Evidence">The claim the verdict rests on (null for NOT_FOUND).</param>
/// <param name="Named">For MISATTRIBUTED: who the words are on record from; for CONTRADICTED: who said the
/// opposite; for "who said this?": every originator's party. Best first.</param>
/// <param name="Originators">For "who said this?" (empty claimed speaker): every source on record for the words,
/// best match first, then earliest first appearance.</param>
public sealed record VerificationResult(
    Verdict Verdict, double Confidence, ReasonCode Reason, Claim? Evidence, IReadOnlyList<Party> Named,
    IReadOnlyList<MeaningMatch> Matches, IReadOnlyList<Originator> Originators);
