using FactCheck.Core.Claims;
using FactCheck.Core.Speakers;

namespace FactCheck.Core.Verification;

/// <summary>
/// VerifyAttribution's decision, on meaning as well as words; pure, so it is tested without a store. The verifier
/// gathers candidates from the shingle index and the vector index (with their cosines) and calls
/// <see cref="Decide"/>. Each candidate gets a kind (<see cref="MatchClassifier"/>); the claimed speaker's
/// records are theirs (by speaker, or — for a name that is no speaker of ours — by the recorded attribution text,
/// <see cref="AttributionText"/>); then, in order:
/// <list type="number">
/// <item><b>SUPPORTED</b>: an EXACT or NEAR match with the speaker's own words on record: a direct quote, or the
/// words of an unnamed source given as that source. Never from a PARAPHRASE match: meaning alone is not their
/// words.</item>
/// <item><b>CONTRADICTED</b> (SAID_THE_OPPOSITE): a CONTRADICTS match with the speaker's record. Comes before any
/// weaker support: a contradiction never yields support.</item>
/// <item><b>MISATTRIBUTED</b>: someone else's EXACT/NEAR/FRAGMENT/PARAPHRASE match outranks the speaker's best
/// (kind first, then similarity): SAID_BY_OTHER; UNNAMED_SOURCE_CREDITED when that record is from unnamed sources
/// and the claimed speaker is a named one of ours. SECOND_HAND_RELAY when the speaker's own record is second-hand
/// and someone else's first-hand record of the words is at least as good.
/// Or our review marked the speaker's matching record MISATTRIBUTED (DISOWNED_BY_REVIEW).</item>
/// <item>The speaker's best match otherwise: EXACT/NEAR/PARAPHRASE of a paraphrase, institutional or unspecified
/// record, or PARAPHRASE of their own words, is <b>SUPPORTED_IN_SUBSTANCE</b> — except the reporter's words
/// presented in quotation marks (PARAPHRASE_AS_QUOTE, MISATTRIBUTED); a second-hand or misquoted record, a
/// FRAGMENT or a PARTIAL match is <b>PARTIALLY_SUPPORTED</b>.</item>
/// <item>Any support is MISATTRIBUTED (WRONG_TIME_OR_ROLE) when the speaker did not hold the role the client names
/// when the words were said, or the words were said more than <see cref="YearsApartDays"/> days from the date
/// given.</item>
/// <item><b>NOT_FOUND</b> otherwise.</item>
/// </list>
/// An empty claimed speaker asks "who said this?": every source on record is an <see cref="Originator"/>, and the
/// verdict is the one the best of them would get.
/// Records whose status is MISATTRIBUTED vouch for nobody else: they are dropped unless they are the claimed
/// speaker's, so a response never lists an EXACT match it then calls NOT_FOUND.
/// <para>Relations a reviewer confirmed (<see cref="ConfirmedLink"/>) carry a match over to the related claim: a claim
/// confirmed to say the same as one the text matches is matched as a PARAPHRASE (so a confirmed translation counts as
/// said in substance, never as the speaker's own words), one confirmed to say the opposite as CONTRADICTS, and the
/// longer statement a matched fragment belongs to as a FRAGMENT; the signal is "relation". A claim's own match, when
/// it has one stronger than PARTIAL, comes first.</para>
/// </summary>
public static class VerificationDecision
{
    /// <summary>Words said further than this from the date given were said on another occasion.</summary>
    public const int YearsApartDays = 365;

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

    /// <param name="links">Confirmed relations of the candidates to other claims (see the class summary).</param>
    public static VerificationResult Decide(VerificationQuery query, IEnumerable<Candidate> candidates, MatchThresholds? thresholds = null,
        IReadOnlyList<ConfirmedLink>? links = null)
    {
        thresholds ??= MatchThresholds.Default;
        var prepared = new PreparedQuery(query.Text);
        bool Claimed(Claim claim) => IsClaimed(query.Claimed, claim, thresholds);
        bool Vouches(Claim claim) => claim.Status != VerificationStatus.Misattributed || Claimed(claim);

        var direct = candidates.Where(c => Vouches(c.Claim)).Select(c => Match(prepared, c, thresholds)).ToList();
        var matches = WithRelations(direct, (links ?? []).Where(link => Vouches(link.Other)))
            .Where(m => m.Kind != MatchKind.None)
            .OrderByDescending(m => m.Contribution * (WithinWindow(m.Claim, query.SaidOn) ? 1 + DateBonus : 1))
            .ThenByDescending(m => m.Similarity)
            .ThenBy(m => m.Claim.Id, StringComparer.Ordinal)
            .ToList();

        if (query.Claimed.IsEmpty) return WhoSaidThis(matches);

        var own = matches.Where(m => Claimed(m.Claim) && m.Claim.Status != VerificationStatus.Misattributed).ToList();
        var disowned = matches.FirstOrDefault(m => Claimed(m.Claim) && m.Claim.Status == VerificationStatus.Misattributed && Strong(m.Kind));
        var elsewhere = matches.Where(m => !Claimed(m.Claim) && Strong(m.Kind)).OrderByDescending(Rank).ThenByDescending(m => m.Similarity).ToList();

        var support = own.FirstOrDefault(m => m.Kind is MatchKind.Exact or MatchKind.Near && InTheirWords(m.Claim) && m.Claim.Status != VerificationStatus.Misquoted);
        if (support is not null) return Supporting(Verdict.Supported, support, query, matches);

        var opposite = own.FirstOrDefault(m => m.Kind == MatchKind.Contradicts);
        if (opposite is not null) return Result(Verdict.Contradicted, opposite, ReasonCode.SaidTheOpposite, [Party.Of(opposite.Claim)], matches);

        var best = own.Where(m => Agrees(m.Kind)).OrderByDescending(Rank).ThenByDescending(m => m.Similarity).FirstOrDefault();
        // A relayer's record yields to the originator's as good a record of the same words.
        var relayed = best is { Claim.Kind: AttributionKind.SecondHand } && elsewhere.Count > 0
            && elsewhere[0].Claim.Kind != AttributionKind.SecondHand && !Outranks(best, elsewhere[0]);
        if (elsewhere.Count > 0 && (best is null || relayed || Outranks(elsewhere[0], best)))
        {
            var evidence = elsewhere[0];
            var reason = relayed ? ReasonCode.SecondHandRelay
                : evidence.Claim.SpeakerId is null && evidence.Claim.Kind == AttributionKind.UnnamedSource && query.Claimed.Speaker is not null ? ReasonCode.UnnamedSourceCredited
                : ReasonCode.SaidByOther;
            return Result(Verdict.Misattributed, evidence, reason, [.. elsewhere.Select(m => Party.Of(m.Claim)).Distinct()], matches);
        }
        if (disowned is not null && (best is null || Outranks(disowned, best)))
            // The record's status is the evidence, so it vouches through its similarity and attribution confidence.
            return Result(Verdict.Misattributed, disowned, ReasonCode.DisownedByReview, [], matches) with
            {
                Confidence = disowned.Similarity * Math.Clamp(disowned.Claim.AttributionConfidence, 0, 1),
            };

        if (best is null) return new(Verdict.NotFound, 0, ReasonCode.Unspecified, null, [], matches, []);
        if (best.Kind is MatchKind.Exact or MatchKind.Near && !InTheirWords(best.Claim) && prepared.Quoted && best.Claim.Kind != AttributionKind.SecondHand)
            return Result(Verdict.Misattributed, best, ReasonCode.ParaphraseAsQuote, [Party.Of(best.Claim)], matches);
        return Supporting(SupportFrom(best), best, query, matches);
    }

    /// <summary>The verdict a match earns its own party: what the best originator gets for "who said this?".</summary>
    private static Verdict SupportFrom(MeaningMatch match) => match switch
    {
        { Kind: MatchKind.Contradicts } => Verdict.Contradicted,
        { Claim.Kind: AttributionKind.SecondHand } or { Claim.Status: VerificationStatus.Misquoted } => Verdict.PartiallySupported,
        { Kind: MatchKind.Exact or MatchKind.Near } => InTheirWords(match.Claim) ? Verdict.Supported : Verdict.SupportedInSubstance,
        { Kind: MatchKind.Paraphrase } => Verdict.SupportedInSubstance,
        _ => Verdict.PartiallySupported,
    };

    private static VerificationResult WhoSaidThis(List<MeaningMatch> matches)
    {
        var originators = matches
            .GroupBy(m => Party.Of(m.Claim))
            .Select(g =>
            {
                var best = g.OrderByDescending(Rank).ThenByDescending(m => m.Similarity).First();
                var first = g.OrderBy(m => FirstPublished(m.Claim) ?? DateTimeOffset.MaxValue).First().Claim;
                return (Best: best, Originator: new Originator(g.Key, best.Claim.Kind, best.Kind, best.Similarity, first,
                    first.Appearances.Count > 0 ? first.Appearances[first.FirstAppearanceIndex] : null));
            })
            // Agreeing sources before contradicted ones, then by strength, then who had it first.
            .OrderByDescending(o => Agrees(o.Best.Kind))
            .ThenByDescending(o => Rank(o.Best))
            .ThenByDescending(o => o.Best.Similarity)
            .ThenBy(o => FirstPublished(o.Originator.FirstClaim) ?? DateTimeOffset.MaxValue)
            .ToList();
        if (originators.Count == 0) return new(Verdict.NotFound, 0, ReasonCode.Unspecified, null, [], matches, []);

        var top = originators[0].Best;
        var verdict = SupportFrom(top);
        return new(verdict, top.Contribution, verdict == Verdict.Contradicted ? ReasonCode.SaidTheOpposite : ReasonCode.Unspecified,
            top.Claim, [.. originators.Select(o => o.Originator.Party)], matches, [.. originators.Select(o => o.Originator)]);
    }

    private static VerificationResult Supporting(Verdict verdict, MeaningMatch match, VerificationQuery query, List<MeaningMatch> matches) =>
        WrongTimeOrRole(match.Claim, query)
            ? Result(Verdict.Misattributed, match, ReasonCode.WrongTimeOrRole, [Party.Of(match.Claim)], matches)
            : Result(verdict, match, ReasonCode.Unspecified, [], matches);

    private static VerificationResult Result(Verdict verdict, MeaningMatch evidence, ReasonCode reason, IReadOnlyList<Party> named, List<MeaningMatch> matches) =>
        new(verdict, evidence.Contribution, reason, evidence.Claim, named, matches, []);

    private static MeaningMatch Match(PreparedQuery query, Candidate candidate, MatchThresholds thresholds)
    {
        var (kind, similarity, signal) = MatchClassifier.Classify(query, candidate.Claim.Text, candidate.Cosine, thresholds);
        return new(candidate.Claim, kind, similarity, candidate.Cosine, Contribution(candidate.Claim, similarity), signal);
    }

    private static double Contribution(Claim claim, double similarity) =>
        similarity * Math.Clamp(claim.AttributionConfidence, 0, 1) * StatusFactor(claim.Status);

    /// <summary>The direct matches, with the matches confirmed relations carry over to other claims in place of a
    /// claim's own match when that is PARTIAL or none.</summary>
    private static List<MeaningMatch> WithRelations(List<MeaningMatch> direct, IEnumerable<ConfirmedLink> links)
    {
        var byId = direct.GroupBy(m => m.Claim.Id).ToDictionary(g => g.Key, g => g.First());
        var carried = links
            .Select(link => Carried(link, byId.GetValueOrDefault(link.ViaClaimId)))
            .OfType<MeaningMatch>()
            .Where(m => !byId.TryGetValue(m.Claim.Id, out var own) || own.Kind is MatchKind.None or MatchKind.Partial)
            .GroupBy(m => m.Claim.Id)
            .Select(g => g.OrderByDescending(Rank).ThenByDescending(m => m.Similarity).First())
            .ToList();
        var replaced = carried.Select(m => m.Claim.Id).ToHashSet();
        return [.. direct.Where(m => !replaced.Contains(m.Claim.Id)), .. carried];
    }

    private static MeaningMatch? Carried(ConfirmedLink link, MeaningMatch? via)
    {
        if (via is null) return null;
        MatchKind? kind = link.Meaning switch
        {
            LinkMeaning.Same when Agrees(via.Kind) && Strong(via.Kind) => MatchKind.Paraphrase,
            LinkMeaning.Same when via.Kind == MatchKind.Contradicts => MatchKind.Contradicts,
            LinkMeaning.Opposite when Agrees(via.Kind) && Strong(via.Kind) => MatchKind.Contradicts,
            LinkMeaning.ContainsVia when via.Kind is MatchKind.Exact or MatchKind.Near or MatchKind.Fragment => MatchKind.Fragment,
            _ => null,
        };
        return kind is null ? null : new MeaningMatch(link.Other, kind.Value, via.Similarity, null, Contribution(link.Other, via.Similarity), "relation");
    }

    private static bool IsClaimed(ClaimedSpeaker claimed, Claim claim, MatchThresholds thresholds) =>
        claimed.Speaker is not null
            ? claim.SpeakerId == claimed.Speaker.Id
            : !claimed.IsEmpty && AttributionText.Coverage(claimed.Text, claim.AttributedTo) >= thresholds.AttributedTo;

    /// <summary>Records of the words as their source gave them: a direct quote, or an unnamed source's words.</summary>
    private static bool InTheirWords(Claim claim) => claim.Kind is AttributionKind.DirectQuote or AttributionKind.UnnamedSource;

    private static bool Agrees(MatchKind kind) => kind is not (MatchKind.None or MatchKind.Contradicts);

    private static bool Strong(MatchKind kind) => kind is MatchKind.Exact or MatchKind.Near or MatchKind.Fragment or MatchKind.Paraphrase;

    // Exact words outrank a close variant, which outranks a fragment or a rewording; a partial overlap ranks last.
    private static int Rank(MeaningMatch match) => match.Kind switch
    {
        MatchKind.Exact => 4,
        MatchKind.Near => 3,
        MatchKind.Fragment or MatchKind.Paraphrase => 2,
        MatchKind.Partial => 1,
        _ => 0,
    };

    private static bool Outranks(MeaningMatch a, MeaningMatch b) => Rank(a) > Rank(b) || (Rank(a) == Rank(b) && a.Similarity > b.Similarity);

    private static bool WrongTimeOrRole(Claim claim, VerificationQuery query)
    {
        var said = SaidDay(claim);
        if (said is null) return false;
        if (query.SaidOn is { } given && Math.Abs(given.DayNumber - said.Value.DayNumber) > YearsApartDays) return true;
        // Roles the client names ("Iranian Foreign Minister ...") that the speaker did not hold when it was said.
        var named = query.Claimed.Speaker is null ? [] : SpeakerNameMatcher.RolesNamed(query.Claimed.Text, query.Claimed.Speaker);
        return named.Count > 0 && !named.Any(role => role.HeldOn(said.Value));
    }

    // When it was said, else when it was first published; not when we recorded it.
    private static DateOnly? SaidDay(Claim claim) =>
        claim.SaidOn ?? (FirstPublished(claim) is { } published ? DateOnly.FromDateTime(published.UtcDateTime) : null);

    private static DateTimeOffset? FirstPublished(Claim claim) =>
        claim.Appearances.Where(a => a.PublishTime is not null).Select(a => a.PublishTime).Min();

    private static bool WithinWindow(Claim claim, DateOnly? saidOn) =>
        saidOn is not null && SaidDay(claim) is { } day && Math.Abs(day.DayNumber - saidOn.Value.DayNumber) <= DateWindowDays;
}
