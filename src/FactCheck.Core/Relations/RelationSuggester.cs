using FactCheck.Core.Claims;
using FactCheck.Core.Verification;

namespace FactCheck.Core.Relations;

/// <summary>
/// The relations a newly embedded claim suggests with its nearest claims by meaning, decided by the same signals as
/// verification (<see cref="MatchClassifier"/>: words, meaning, polarity) with the claim's text as the query:
/// <list type="bullet">
/// <item>CONTRADICTS: related texts of opposite polarity;</item>
/// <item>FRAGMENT_OF: one text is a (possibly elided) part of the other's words, either way round;</item>
/// <item>TRANSLATION_OF: the same words or meaning (EXACT, NEAR, PARAPHRASE) in another language;</item>
/// <item>REPEATS: the same words or meaning from the same party (the same speaker, or the same unnamed sources);</item>
/// <item>PARAPHRASE_OF: the same words or meaning from another party: a reviewer then decides whose it is.</item>
/// </list>
/// Symmetric kinds name the later claim (by store key) first: "B REPEATS A". The score is the match's similarity.
/// </summary>
public static class RelationSuggester
{
    /// <param name="neighbours">Claims near it by meaning, with their cosine to it (the claim itself is skipped).</param>
    public static IReadOnlyList<ClaimRelation> Suggest(Claim claim, long claimKey, IEnumerable<(Claim Other, long Key, double Cosine)> neighbours,
        MatchThresholds thresholds, DateTimeOffset now)
    {
        var query = new PreparedQuery(claim.Text);
        var suggestions = new List<ClaimRelation>();
        foreach (var (other, key, cosine) in neighbours)
        {
            if (key == claimKey) continue;
            var (kind, similarity, _) = MatchClassifier.Classify(query, other.Text, cosine, thresholds);
            var (subject, related, relation) = kind switch
            {
                MatchKind.Contradicts => Ordered(claim, claimKey, other, key, RelationKind.Contradicts),
                MatchKind.Fragment => (claim, other, RelationKind.FragmentOf),
                MatchKind.Exact or MatchKind.Near or MatchKind.Paraphrase => Ordered(claim, claimKey, other, key, Agreeing(claim, other, thresholds)),
                _ => (other, claim, FragmentOfClaim(other, claim, cosine, thresholds, out similarity)),
            };
            if (relation == RelationKind.Unspecified) continue;
            suggestions.Add(new ClaimRelation
            {
                Id = ResourceNames.NewId(now),
                ClaimId = subject.Id,
                RelatedClaimId = related.Id,
                Kind = relation,
                Score = Math.Round(similarity, 4),
                CreateTime = now,
            });
        }
        return suggestions;
    }

    private static RelationKind Agreeing(Claim a, Claim b, MatchThresholds thresholds) =>
        !SameLanguage(a.LanguageCode, b.LanguageCode) ? RelationKind.TranslationOf
        : SameParty(a, b, thresholds) ? RelationKind.Repeats
        : RelationKind.ParaphraseOf;

    /// <summary>The other claim as a fragment of this one: the classifier's other direction.</summary>
    private static RelationKind FragmentOfClaim(Claim fragment, Claim whole, double cosine, MatchThresholds thresholds, out double similarity)
    {
        var (kind, score, _) = MatchClassifier.Classify(new PreparedQuery(fragment.Text), whole.Text, cosine, thresholds);
        similarity = score;
        return kind == MatchKind.Fragment ? RelationKind.FragmentOf : RelationKind.Unspecified;
    }

    private static (Claim Subject, Claim Related, RelationKind Kind) Ordered(Claim claim, long claimKey, Claim other, long otherKey, RelationKind kind) =>
        claimKey > otherKey ? (claim, other, kind) : (other, claim, kind);

    private static bool SameLanguage(string a, string b) =>
        string.Equals(a.Split('-')[0], b.Split('-')[0], StringComparison.OrdinalIgnoreCase);

    private static bool SameParty(Claim a, Claim b, MatchThresholds thresholds) =>
        a.SpeakerId is not null
            ? a.SpeakerId == b.SpeakerId
            : b.SpeakerId is null && a.AttributedTo is not null
              && AttributionText.Coverage(a.AttributedTo, b.AttributedTo) >= thresholds.AttributedTo
              && AttributionText.Coverage(b.AttributedTo!, a.AttributedTo) >= thresholds.AttributedTo;
}
