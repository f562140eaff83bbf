namespace FactCheck.Core.Verification;

/// <summary>How a query's words relate to a claim's, strongest last.</summary>
public enum MatchKind
{
    /// <summary>No substantial overlap.</summary>
    None = 0,
    /// <summary>Substantial overlap that is neither a close variant nor a fragment.</summary>
    Partial = 1,
    /// <summary>The query, or each of its elided segments in order, is (nearly) contained in a longer claim.</summary>
    Fragment = 2,
    /// <summary>A close variant: a few words changed, inserted or dropped, none of them a negation.</summary>
    Near = 3,
    /// <summary>The same words after normalization.</summary>
    Exact = 4,
}

public readonly record struct QuoteMatch(double Similarity, MatchKind Kind);

/// <summary>
/// Scores a quote against a claim's text on the words of <see cref="QuoteText"/>, each weighted 1, or 1/4 for
/// function words. Two measures, both weighted LCS ratios (common subsequence ÷ the heavier side):
/// <list type="bullet">
/// <item><b>whole</b>: the query against the whole claim; decides Near.</item>
/// <item><b>fit</b>: each segment of the query against its best-fitting stretch of the claim, segments in order;
/// decides Fragment. It is a local measure, so it only counts once it reaches <see cref="PartialThreshold"/>:
/// below that a short query sharing a phrase like "the Syrian" with a claim is noise, and the similarity
/// reported is the whole-text ratio.</item>
/// </list>
/// A changed number of negations ("will" / "will not") never makes a Near or Fragment: the words are close but
/// the meaning is reversed.
/// </summary>
public static class QuoteSimilarity
{
    /// <summary>Two words changed in an 11-word quote score 0.84; one content word changed in 7 words, 0.79.</summary>
    public const double NearThreshold = 0.8;

    public const double FragmentThreshold = 0.8;

    public const double PartialThreshold = 0.5;

    /// <summary>Shorter queries found inside a claim are common phrases more often than fragments of it.</summary>
    public const int MinFragmentWords = 4;

    private const double FunctionWordWeight = 0.25;

    public static QuoteMatch Score(string query, string candidate)
    {
        var segments = QuoteText.Segments(query);
        var q = segments.SelectMany(segment => segment).ToList();
        var c = QuoteText.Words(candidate);
        if (q.Count == 0 || c.Count == 0) return new(0, MatchKind.None);
        if (q.SequenceEqual(c)) return new(1, MatchKind.Exact);

        var whole = CommonWeight(q, c) / Math.Max(Weight(q), Weight(c));
        // An elided query says words are missing, so it is at best a fragment however much of the claim it keeps.
        if (segments.Count == 1 && whole >= NearThreshold && Negations(q) == Negations(c)) return new(whole, MatchKind.Near);

        var (common, spanWeight, spanNegations) = Fit(segments, c);
        var fit = common / Math.Max(Weight(q), spanWeight);
        if (q.Count >= MinFragmentWords && fit >= FragmentThreshold && Negations(q) == spanNegations)
            return new(fit, MatchKind.Fragment);

        var best = Math.Max(whole, fit);
        return best >= PartialThreshold ? new(best, MatchKind.Partial) : new(whole, MatchKind.None);
    }

    private static double Weight(string word) => QuoteText.IsFunctionWord(word) ? FunctionWordWeight : 1;

    private static double Weight(IEnumerable<string> words) => words.Sum(Weight);

    private static int Negations(IEnumerable<string> words) => words.Count(QuoteText.IsNegation);

    /// <summary>Weight of the heaviest common subsequence.</summary>
    private static double CommonWeight(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new double[b.Count + 1];
        var current = new double[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
                current[j] = a[i - 1] == b[j - 1]
                    ? previous[j - 1] + Weight(a[i - 1])
                    : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    /// <summary>
    /// Aligns each segment with the stretch of the claim, after the previous segment's, that it is fewest weighted
    /// insertions and deletions away from (a fitting alignment); returns the common weight and the weight and
    /// negation count of those stretches, summed.
    /// </summary>
    private static (double Common, double SpanWeight, int SpanNegations) Fit(IReadOnlyList<IReadOnlyList<string>> segments, IReadOnlyList<string> c)
    {
        double common = 0, spanWeight = 0;
        int spanNegations = 0, from = 0;
        foreach (var segment in segments)
        {
            var (start, end, cost) = BestStretch(segment, c, from);
            var stretch = c.Skip(start).Take(end - start).ToList();
            var stretchWeight = Weight(stretch);
            // Cost counts every unmatched word on both sides, so the matched weight is what remains, halved.
            common += (Weight(segment) + stretchWeight - cost) / 2;
            spanWeight += stretchWeight;
            spanNegations += Negations(stretch);
            from = end;
        }
        return (common, spanWeight, spanNegations);
    }

    private static (int Start, int End, double Cost) BestStretch(IReadOnlyList<string> segment, IReadOnlyList<string> c, int from)
    {
        var width = c.Count - from + 1;
        // cost[j] / start[j]: cheapest alignment of the segment's first i words with a stretch ending at from + j.
        var cost = new double[width];
        var start = Enumerable.Range(from, width).ToArray();
        foreach (var word in segment)
        {
            var nextCost = new double[width];
            var nextStart = new int[width];
            nextCost[0] = cost[0] + Weight(word);
            nextStart[0] = start[0];
            for (var j = 1; j < width; j++)
            {
                var candidate = c[from + j - 1];
                (nextCost[j], nextStart[j]) = (cost[j] + Weight(word), start[j]);
                if (nextCost[j - 1] + Weight(candidate) < nextCost[j]) (nextCost[j], nextStart[j]) = (nextCost[j - 1] + Weight(candidate), nextStart[j - 1]);
                if (word == candidate && cost[j - 1] <= nextCost[j]) (nextCost[j], nextStart[j]) = (cost[j - 1], start[j - 1]);
            }
            (cost, start) = (nextCost, nextStart);
        }
        var best = 0;
        for (var j = 1; j < width; j++)
            if (cost[j] < cost[best]) best = j;
        return (start[best], from + best, cost[best]);
    }
}
