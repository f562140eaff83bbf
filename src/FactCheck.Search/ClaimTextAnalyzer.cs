using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace FactCheck.Search;

/// <summary>
/// Words as the stores' full-text indexes cut them (FTS5's unicode61 with remove_diacritics, PostgreSQL's folded
/// 'simple' configuration): runs of letters and digits, lower-cased, diacritics folded ("Türkiye" = "turkiye"), so
/// the index finds what the store search found.
/// </summary>
internal static class ClaimTextAnalyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    public static readonly Analyzer Instance = Analyzer.NewAnonymous((_, reader) =>
    {
        var words = new LetterOrDigitTokenizer(reader);
        return new TokenStreamComponents(words, new ASCIIFoldingFilter(new LowerCaseFilter(Version, words)));
    });

    /// <summary>The index's words of a search term: usually one; a term the folding splits gives several, all required.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        using var stream = Instance.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) words.Add(term.ToString());
        stream.End();
        return words;
    }

    private sealed class LetterOrDigitTokenizer(TextReader reader) : CharTokenizer(Version, reader)
    {
        protected override bool IsTokenChar(int c) => Rune.IsValid(c) && Rune.IsLetterOrDigit(new Rune(c));
    }
}
