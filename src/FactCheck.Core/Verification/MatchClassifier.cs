namespace FactCheck.Core.Verification;

/// <summary>
/// The thresholds of the semantic signals, for all-MiniLM-L6-v2 (another model needs its own), and the lexical NEAR
/// ratio they work with. They come from the labelled evaluation set (fixtures/eval): `bench evaluate` searched every
/// combination on its `tune` split only and these won (no support for a contradiction, nothing but NOT_FOUND for
/// unrelated text, then most cases fully right, ties to the more conservative value); bench/RESULTS.md shows the
/// search and the paraphrase curve. Phase A found the first four; phase B added <see cref="ParityRelated"/> and
/// <see cref="Near"/> to the search and re-derived all six there.
/// </summary>
/// <param name="Paraphrase">Cosine at or above which a claim says the same as the query in other words.</param>
/// <param name="Related">Cosine at or above which two texts are about the same thing, so that a polarity flip
/// between them is a contradiction (below it, sharing a negated word means nothing).</param>
/// <param name="AttributedTo">Share of a claimed unnamed source's words (<see cref="AttributionText.Coverage"/>) a
/// claim's recorded attribution must have to be that source.</param>
/// <param name="NegationParity">Whether a difference in the parity of negations between related texts is a
/// contradiction even when no shared word is seen negated (<see cref="Polarity.Opposed"/>).</param>
/// <param name="ParityRelated">Cosine at or above which texts with no words in common are related enough for that
/// parity rule ("the advances could not be explained ..." against "the opposition should compromise" are not, at
/// 0.63). Texts sharing words count at <see cref="Related"/>. At most <see cref="Paraphrase"/>, so no negation it lets
/// go can become support. 0.70: every value from 0.45 to 0.70 scored the same on the tune split, and the tie goes to
/// the conservative one (a higher parity cosine only ever turns a CONTRADICTED into NOT_FOUND).</param>
/// <param name="Near">The lexical ratio from which a variant of the claim's words is NEAR (<see cref="QuoteSimilarity"/>).</param>
public sealed record SemanticThresholds(double Paraphrase, double Related, double AttributedTo, bool NegationParity, double ParityRelated, double Near)
{
    public static readonly SemanticThresholds Default = new(Paraphrase: 0.70, Related: 0.45, AttributedTo: 1.0, NegationParity: true, ParityRelated: 0.70,
        Near: QuoteSimilarity.NearThreshold);
}

/// <summary>A query reduced once for classifying it against many claims.</summary>
public sealed class PreparedQuery
{
    public PreparedQuery(string text)
    {
        Text = text;
        Words = QuoteSimilarity.Prepare(text);
        Polarity = Verification.Polarity.Of(text);
        Quoted = QuoteText.IsQuoted(text);
        Numbers = MatchClassifier.Numbers(text);
    }

    public string Text { get; }
    internal PreparedQuote Words { get; }
    internal Polarity.Profile Polarity { get; }
    /// <summary>The client presents the words in quotation marks, as the speaker's own.</summary>
    public bool Quoted { get; }
    internal IReadOnlySet<string> Numbers { get; }
}

/// <summary>
/// Decides the kind of one match from two signals: the words (<see cref="QuoteSimilarity"/>) and the meaning (the
/// cosine of sentence vectors), with the polarity lexicon (<see cref="Polarity"/>) checked before either may count
/// as agreement. In order:
/// <list type="number">
/// <item>EXACT: the same words. Nothing else can override that.</item>
/// <item>CONTRADICTS: related texts (lexical overlap, or cosine ≥ <see cref="SemanticThresholds.Related"/>) of
/// opposite polarity (a parity difference alone counts from <see cref="SemanticThresholds.ParityRelated"/>).</item>
/// <item>NEAR / FRAGMENT: by the words.</item>
/// <item>PARAPHRASE: cosine ≥ <see cref="SemanticThresholds.Paraphrase"/>, unless the texts give different numbers
/// ("300 fighters" is not "3,000 fighters", however close the sentences are).</item>
/// <item>PARTIAL: substantial lexical overlap only.</item>
/// </list>
/// </summary>
public static class MatchClassifier
{
    public static (MatchKind Kind, double Similarity, string Signal) Classify(PreparedQuery query, string claimText, double? cosine, SemanticThresholds thresholds)
    {
        var words = QuoteSimilarity.Score(query.Words, claimText, thresholds.Near);
        if (words.Kind == MatchKind.Exact) return (MatchKind.Exact, words.Similarity, "words");

        var meaning = cosine ?? 0;
        var lexical = words.Kind != MatchKind.None;
        var related = lexical || meaning >= thresholds.Related;
        var parity = thresholds.NegationParity && (lexical || meaning >= thresholds.ParityRelated);
        if (related && Polarity.Opposed(query.Polarity, Polarity.Of(claimText), parity))
            return (MatchKind.Contradicts, Math.Max(words.Similarity, meaning), "polarity");

        if (words.Kind is MatchKind.Near or MatchKind.Fragment) return (words.Kind, words.Similarity, "words");
        if (meaning >= thresholds.Paraphrase && NumbersAgree(query.Numbers, Numbers(claimText))) return (MatchKind.Paraphrase, meaning, "meaning");
        return words.Kind == MatchKind.Partial ? (MatchKind.Partial, words.Similarity, "words") : (MatchKind.None, words.Similarity, "words");
    }

    internal static IReadOnlySet<string> Numbers(string text) =>
        QuoteText.Words(text).Where(w => w.All(char.IsAsciiDigit)).ToHashSet(StringComparer.Ordinal);

    // Numbers only disagree when both texts give some: a rewording may leave "300" out, but not change it.
    private static bool NumbersAgree(IReadOnlySet<string> query, IReadOnlySet<string> claim) =>
        query.Count == 0 || claim.Count == 0 || query.SetEquals(claim);
}
