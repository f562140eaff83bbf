namespace FactCheck.Core.Verification;

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
/// <item>CONTRADICTS: related texts (lexical overlap, or cosine ≥ <see cref="MatchThresholds.Related"/>) of
/// opposite polarity (a parity difference alone counts from <see cref="MatchThresholds.ParityRelated"/>).</item>
/// <item>NEAR / FRAGMENT: by the words.</item>
/// <item>PARAPHRASE: cosine ≥ <see cref="MatchThresholds.Paraphrase"/>, unless the texts give different numbers
/// ("300 fighters" is not "3,000 fighters", however close the sentences are).</item>
/// <item>PARTIAL: substantial lexical overlap only.</item>
/// </list>
/// </summary>
public static class MatchClassifier
{
    public static (MatchKind Kind, double Similarity, string Signal) Classify(PreparedQuery query, string claimText, double? cosine, MatchThresholds thresholds)
    {
        var words = QuoteSimilarity.Score(query.Words, claimText, thresholds);
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
