using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FactCheck.Core.Speakers;

namespace FactCheck.Storage.Postgres;

/// <summary>
/// Claim text and search terms as the full-text index sees them: lower-case words, accents folded the way
/// <see cref="NameNormalizer"/> folds names ("Türkiye" → "turkiye"), everything else a space. Folding here rather
/// than with PostgreSQL's unaccent needs no extension (nor a superuser to install one). And as only letters, digits
/// and spaces reach to_tsvector, its 'simple' configuration just splits at the spaces, whatever the server's locale
/// (given punctuation, its parser would read "example.org" as one host name, and under the C locale count "—" as a
/// letter).
/// </summary>
internal static class SearchText
{
    private static readonly ConcurrentDictionary<char, string> NonAsciiFolds = new();

    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAscii(c)) folded.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
            else folded.Append(NonAsciiFolds.GetOrAdd(c, FoldNonAscii));
        }
        return folded.ToString();
    }

    // NameNormalizer's table applied to a lone character, where its rules for articles and possessives have nothing to
    // act on, so Tokens is just the fold. Letters it drops (ʿ of ʿAbbās) and combining accents vanish inside the word.
    private static string FoldNonAscii(char c) =>
        char.IsLetterOrDigit(c) ? string.Concat(NameNormalizer.Tokens(c.ToString()))
        : CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark ? ""
        : " ";
}
