using FactCheck.Core.Speakers;

namespace FactCheck.Core.Verification;

/// <summary>
/// How well a claimed speaker that is no speaker of ours ("Iraqi security sources", "the Syrian army") describes
/// the source a claim was attributed to as written (<see cref="Claims.Claim.AttributedTo"/>: "two Iraqi security
/// sources"). Unnamed and institutional sources have no speaker record, so this is how their words are verified.
/// </summary>
public static class AttributionText
{
    // Words that count or hedge a source without saying who it is: "two sources" and "sources" are the same sources.
    private static readonly HashSet<string> Quantifiers =
        ["one", "two", "three", "four", "five", "several", "some", "many", "various", "multiple", "other"];

    /// <summary>
    /// The share of the claimed description's words (singular and plural alike, counts and articles ignored) that the
    /// recorded attribution has: 1 when every word of "Iraqi security sources" is in "two Iraqi security sources".
    /// 0 when either is empty.
    /// </summary>
    public static double Coverage(string claimed, string? attributedTo)
    {
        if (string.IsNullOrWhiteSpace(attributedTo)) return 0;
        var wanted = Words(claimed);
        if (wanted.Count == 0) return 0;
        var recorded = Words(attributedTo);
        return (double)wanted.Count(recorded.Contains) / wanted.Count;
    }

    private static HashSet<string> Words(string text) =>
        [.. NameNormalizer.Tokens(text)
            .Where(t => !NameNormalizer.IsStopWord(t) && !Quantifiers.Contains(t))
            .Select(t => t.Length > 3 && t.EndsWith('s') && !t.EndsWith("ss", StringComparison.Ordinal) ? t[..^1] : t)];
}
