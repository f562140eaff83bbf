using System.Text;
using FactCheck.Core.Verification;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Shingle;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace FactCheck.Search;

/// <summary>
/// Words as the stores' full-text indexes cut them (FTS5's unicode61 with remove_diacritics, PostgreSQL's folded
/// 'simple' configuration): runs of letters and digits, lower-cased, diacritics folded ("Türkiye" = "turkiye"), so
/// the index finds what the store search found. The <see cref="PairsField"/> gets the same words with the function
/// words dropped, as the service drops them from a query, joined in neighbouring pairs.
/// </summary>
internal static class ClaimTextAnalyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>The field of a claim's word pairs: "the forces will defend the city" gives "forces defend",
    /// "defend city" (<see cref="Pair"/>).</summary>
    public const string PairsField = "pairs";

    private const string PairSeparator = " ";

    /// <summary>The term of the pairs field for <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public static string Pair(string first, string second) => first + PairSeparator + second;

    // Per field: the pairs field has a chain of its own, and each thread keeps one of each.
    public static readonly Analyzer Instance = Analyzer.NewAnonymous((field, reader) =>
    {
        var words = new LetterOrDigitTokenizer(reader);
        TokenStream folded = new ASCIIFoldingFilter(new LowerCaseFilter(Version, words));
        if (field != PairsField) return new TokenStreamComponents(words, folded);
        // Pairs of the neighbouring content words. ContentWords leaves no position gap where it drops a word: a gap
        // makes ShingleFilter pair each side with a filler ("forces _", "_ defend") instead of the two words.
        var pairs = new ShingleFilter(new ContentWords(folded), minShingleSize: 2, maxShingleSize: 2);
        pairs.SetOutputUnigrams(false);
        pairs.SetTokenSeparator(PairSeparator);
        return new TokenStreamComponents(words, pairs);
    }, Analyzer.PER_FIELD_REUSE_STRATEGY);

    /// <summary>The index's words of a search term: usually one; a term the folding splits gives several, all required.</summary>
    public static List<string> Words(string text) => Tokens("text", text);

    /// <summary>The terms <paramref name="field"/> gets for <paramref name="text"/>, in order, repeats included.</summary>
    public static List<string> Tokens(string field, string text)
    {
        var tokens = new List<string>();
        using var stream = Instance.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add(term.ToString());
        stream.End();
        return tokens;
    }

    private sealed class LetterOrDigitTokenizer(TextReader reader) : CharTokenizer(Version, reader)
    {
        protected override bool IsTokenChar(int c) => Rune.IsValid(c) && Rune.IsLetterOrDigit(new Rune(c));
    }

    /// <summary>The words that are not function words (<see cref="QuoteText.IsFunctionWord(ReadOnlySpan{char})"/>), each
    /// one position after the last one kept: not a FilteringTokenFilter (StopFilter), which adds the dropped words'
    /// positions to the next word's increment.</summary>
    private sealed class ContentWords : TokenFilter
    {
        private readonly ICharTermAttribute term;

        public ContentWords(TokenStream input) : base(input) => term = AddAttribute<ICharTermAttribute>();

        public override bool IncrementToken()
        {
            while (m_input.IncrementToken())
                if (!QuoteText.IsFunctionWord(term.Buffer.AsSpan(0, term.Length))) return true;
            return false;
        }
    }
}
