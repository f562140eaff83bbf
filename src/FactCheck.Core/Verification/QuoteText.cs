using System.Text.RegularExpressions;
using FactCheck.Core.Speakers;

namespace FactCheck.Core.Verification;

/// <summary>
/// Reduces quote text to comparable words. Case, diacritics, punctuation, curly or straight quotes and
/// apostrophes, dashes and whitespace all vanish; ellipses ("...", ". . .", "…", "[...]") are kept as segment
/// breaks because they mark words the quoter left out.
/// </summary>
public static partial class QuoteText
{
    // Three or more dots (optionally spaced) or the ellipsis character. Brackets around them are separators
    // to the tokenizer anyway, so "[...]" needs no special case.
    [GeneratedRegex(@"…+|\.(?:\s?\.){2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Elision();

    // Contractions, so that outlets writing "we're" and "we are", "don't" and "do not" agree. Irregular
    // negatives first; a bare "'d" is taken as "would" (both readings are function words).
    private static readonly (Regex Pattern, string Expansion)[] Contractions =
    [
        (new($@"\bwon{Apostrophe}t\b", Options), "will not"),
        (new($@"\bshan{Apostrophe}t\b", Options), "shall not"),
        (new($@"\bcan(?:{Apostrophe}t|not)\b", Options), "can not"),
        (new($@"n{Apostrophe}t\b", Options), " not"),
        (new($@"(?<=\p{{L}}){Apostrophe}re\b", Options), " are"),
        (new($@"(?<=\p{{L}}){Apostrophe}ve\b", Options), " have"),
        (new($@"(?<=\p{{L}}){Apostrophe}ll\b", Options), " will"),
        (new($@"(?<=\p{{L}}){Apostrophe}m\b", Options), " am"),
        (new($@"(?<=\p{{L}}){Apostrophe}d\b", Options), " would"),
    ];

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled;

    // The apostrophes NameNormalizer recognizes. Contractions follow a letter, so an opening ‘ is not one.
    private const string Apostrophe = "['’‘ʼ`´]";
    private static readonly System.Buffers.SearchValues<char> ApostropheCharacters = System.Buffers.SearchValues.Create("'’‘ʼ`´");

    // Function words: the shingle index skips pairs made only of these (they would form the largest posting
    // lists) and similarity gives them a quarter of a content word's weight, since agreeing on "the" or "will"
    // says little about whether two quotes are the same. Negations are deliberately absent: they change meaning.
    private static readonly HashSet<string> FunctionWords =
    [
        "a", "an", "the", "and", "or", "but", "if", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as",
        "into", "about", "than", "then", "so", "that", "this", "these", "those", "it", "its", "is", "are", "was",
        "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "will", "would", "shall",
        "should", "can", "could", "may", "might", "must", "we", "i", "you", "he", "she", "they", "me", "him", "her",
        "them", "my", "our", "your", "his", "their", "there", "here", "what", "which", "who", "whom", "when",
        "where", "how", "also", "just", "very", "all", "any", "some",
    ];

    private static readonly HashSet<string> NegationWords =
        ["not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "nowhere", "without"];

    /// <summary>All words of the text, lower-case and diacritic-free, elisions ignored.</summary>
    public static IReadOnlyList<string> Words(string text) => [.. Segments(text).SelectMany(segment => segment)];

    /// <summary>The words of each stretch of text between elisions; stretches without words are dropped.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Segments(string text)
    {
        // Most texts have no contraction; one scan for its marks spares them nine regex passes.
        if (text.AsSpan().IndexOfAny(ApostropheCharacters) >= 0 || text.Contains("cannot", StringComparison.OrdinalIgnoreCase))
            foreach (var (pattern, expansion) in Contractions) text = pattern.Replace(text, expansion);
        return [.. Elision().Split(text).Select(NameNormalizer.Tokens).Where(words => words.Count > 0)];
    }

    /// <summary>
    /// True when the whole text is inside quotation marks ("“…”", "\"…\"", "«…»"), closing punctuation aside: the
    /// client presents the words as the speaker's own, not as a summary of what they said.
    /// </summary>
    public static bool IsQuoted(string text)
    {
        var trimmed = text.AsSpan().Trim().TrimEnd(".,;:!? ");
        return trimmed.Length >= 2 && OpeningQuotes.Contains(trimmed[0]) && ClosingQuotes.Contains(trimmed[^1]);
    }

    private const string OpeningQuotes = "\"“„«‘'";
    private const string ClosingQuotes = "\"”»’'";

    internal static bool IsFunctionWord(string word) => FunctionWords.Contains(word);

    /// <summary>The same test on a word in a buffer (a Lucene token's characters), without making it a string.</summary>
    internal static bool IsFunctionWord(ReadOnlySpan<char> word) => FunctionWordsBySpan.Contains(word);

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FunctionWordsBySpan =
        FunctionWords.GetAlternateLookup<ReadOnlySpan<char>>();

    internal static bool IsNegation(string word) => NegationWords.Contains(word);
}
