namespace FactCheck.Core.Verification;

/// <summary>How a query relates to a claim. The lexical kinds (None to Exact) are ordered, strongest last.</summary>
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
    /// <summary>The same meaning in other words (the model's signal). Only <see cref="MatchClassifier"/> gives it,
    /// and it is not ordered against the lexical kinds above.</summary>
    Paraphrase = 5,
    /// <summary>The opposite of the claim: a negation, polarity flip or antonym of related words.</summary>
    Contradicts = 6,
}

public readonly record struct QuoteMatch(double Similarity, MatchKind Kind);

/// <summary>
/// Scores a quote against a claim's text on the words of <see cref="QuoteText"/>, each weighted 1, or 1/4 for
/// function words. Two measures, both weighted LCS ratios (common subsequence ÷ the heavier side):
/// <list type="bullet">
/// <item><b>whole</b>: the query against the whole claim; decides Near.</item>
/// <item><b>fit</b>: each segment of the query against its best-fitting stretch of the claim, segments in order;
/// decides Fragment. It is a local measure, so it only counts once it reaches <see cref="MatchThresholds.Partial"/>:
/// below that a short query sharing a phrase like "the Syrian" with a claim is noise, and the similarity
/// reported is the whole-text ratio.</item>
/// </list>
/// A changed number of negations ("will" / "will not") never makes a Near or Fragment: the words are close but
/// the meaning is reversed.
/// </summary>
public static class QuoteSimilarity
{
    private const double FunctionWordWeight = 0.25;

    public static QuoteMatch Score(string query, string candidate) => Score(Prepare(query), candidate, MatchThresholds.Default);

    /// <summary>The query's words and weights, worked out once for scoring it against many candidates.</summary>
    public static PreparedQuote Prepare(string query) => new(QuoteText.Segments(query));

    /// <param name="thresholds">The ratios from which a variant is NEAR, a stretch a FRAGMENT and an overlap PARTIAL, and the
    /// fewest words a fragment has (<see cref="MatchThresholds"/>).</param>
    public static QuoteMatch Score(PreparedQuote query, string candidate, MatchThresholds thresholds)
    {
        var c = new WeightedWords(QuoteText.Words(candidate));
        var q = query.Words;
        if (q.Count == 0 || c.Count == 0) return new(0, MatchKind.None);
        if (q.Words.SequenceEqual(c.Words)) return new(1, MatchKind.Exact);
        // The claim's words cut at either end ("ready to start negotiating tomorrow" of "We are ready to ..."): a
        // fragment, however little was cut. Near is for words changed, added or dropped inside the quote.
        if (query.Segments.Count == 1 && q.Count >= thresholds.MinFragmentWords && Contains(c.Words, q.Words)) return new(1, MatchKind.Fragment);

        var whole = CommonWeight(q, c) / Math.Max(q.Total, c.Total);
        // An elided query says words are missing, so it is at best a fragment however much of the claim it keeps.
        if (query.Segments.Count == 1 && whole >= thresholds.Near && q.Negations == c.Negations) return new(whole, MatchKind.Near);

        var (common, spanWeight, spanNegations) = Fit(query.Segments, c);
        var fit = common / Math.Max(q.Total, spanWeight);
        if (q.Count >= thresholds.MinFragmentWords && fit >= thresholds.Fragment && q.Negations == spanNegations)
            return new(fit, MatchKind.Fragment);

        var best = Math.Max(whole, fit);
        return best >= thresholds.Partial ? new(best, MatchKind.Partial) : new(whole, MatchKind.None);
    }

    /// <summary>Whether <paramref name="part"/> is a contiguous run of <paramref name="whole"/>.</summary>
    private static bool Contains(IReadOnlyList<string> whole, IReadOnlyList<string> part)
    {
        for (var start = 0; start + part.Count <= whole.Count; start++)
        {
            var at = 0;
            while (at < part.Count && whole[start + at] == part[at]) at++;
            if (at == part.Count) return true;
        }
        return false;
    }

    /// <summary>Weight of the heaviest common subsequence.</summary>
    private static double CommonWeight(WeightedWords a, WeightedWords b)
    {
        var previous = new double[b.Count + 1];
        var current = new double[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            var word = a.Words[i - 1];
            for (var j = 1; j <= b.Count; j++)
                current[j] = word == b.Words[j - 1]
                    ? previous[j - 1] + a.Weights[i - 1]
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
    private static (double Common, double SpanWeight, int SpanNegations) Fit(IReadOnlyList<WeightedWords> segments, WeightedWords c)
    {
        double common = 0, spanWeight = 0;
        int spanNegations = 0, from = 0;
        foreach (var segment in segments)
        {
            var (start, end, cost) = BestStretch(segment, c, from);
            var stretchWeight = c.WeightOf(start, end);
            // Cost counts every unmatched word on both sides, so the matched weight is what remains, halved.
            common += (segment.Total + stretchWeight - cost) / 2;
            spanWeight += stretchWeight;
            spanNegations += c.NegationsIn(start, end);
            from = end;
        }
        return (common, spanWeight, spanNegations);
    }

    private static (int Start, int End, double Cost) BestStretch(WeightedWords segment, WeightedWords c, int from)
    {
        var width = c.Count - from + 1;
        // cost[j] / start[j]: cheapest alignment of the segment's first i words with a stretch ending at from + j.
        var cost = new double[width];
        var start = Enumerable.Range(from, width).ToArray();
        var nextCost = new double[width];
        var nextStart = new int[width];
        for (var i = 0; i < segment.Count; i++)
        {
            var (word, weight) = (segment.Words[i], segment.Weights[i]);
            nextCost[0] = cost[0] + weight;
            nextStart[0] = start[0];
            for (var j = 1; j < width; j++)
            {
                var k = from + j - 1;
                (nextCost[j], nextStart[j]) = (cost[j] + weight, start[j]);
                if (nextCost[j - 1] + c.Weights[k] < nextCost[j]) (nextCost[j], nextStart[j]) = (nextCost[j - 1] + c.Weights[k], nextStart[j - 1]);
                if (word == c.Words[k] && cost[j - 1] <= nextCost[j]) (nextCost[j], nextStart[j]) = (cost[j - 1], start[j - 1]);
            }
            (cost, nextCost) = (nextCost, cost);
            (start, nextStart) = (nextStart, start);
        }
        var best = 0;
        for (var j = 1; j < width; j++)
            if (cost[j] < cost[best]) best = j;
        return (start[best], from + best, cost[best]);
    }

    private static double Weight(string word) => QuoteText.IsFunctionWord(word) ? FunctionWordWeight : 1;

    /// <summary>Words with their weights looked up once, so the alignment loops only read arrays.</summary>
    internal sealed class WeightedWords
    {
        public WeightedWords(IReadOnlyList<string> words)
        {
            Words = words;
            Weights = new double[words.Count];
            negationsBefore = new int[words.Count + 1];
            for (var i = 0; i < words.Count; i++)
            {
                Weights[i] = Weight(words[i]);
                Total += Weights[i];
                negationsBefore[i + 1] = negationsBefore[i] + (QuoteText.IsNegation(words[i]) ? 1 : 0);
            }
        }

        private readonly int[] negationsBefore;
        public IReadOnlyList<string> Words { get; }
        public double[] Weights { get; }
        public double Total { get; }
        public int Count => Words.Count;
        public int Negations => negationsBefore[^1];

        // Summed in order, as the whole-list total is, so equal stretches give bit-identical weights.
        public double WeightOf(int start, int end)
        {
            double sum = 0;
            for (var i = start; i < end; i++) sum += Weights[i];
            return sum;
        }

        public int NegationsIn(int start, int end) => negationsBefore[end] - negationsBefore[start];
    }
}

/// <summary>A query reduced to weighted words once (<see cref="QuoteSimilarity.Prepare"/>).</summary>
public sealed class PreparedQuote
{
    internal PreparedQuote(IReadOnlyList<IReadOnlyList<string>> segments)
    {
        Segments = [.. segments.Select(segment => new QuoteSimilarity.WeightedWords(segment))];
        Words = new QuoteSimilarity.WeightedWords([.. segments.SelectMany(segment => segment)]);
    }

    internal IReadOnlyList<QuoteSimilarity.WeightedWords> Segments { get; }
    internal QuoteSimilarity.WeightedWords Words { get; }
}
