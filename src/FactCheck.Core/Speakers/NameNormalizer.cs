using System.Globalization;
using System.Text;

namespace FactCheck.Core.Speakers;

/// <summary>
/// Turns names as articles write them into comparable tokens. Deliberately rule-based and culture-free
/// (the build runs with InvariantGlobalization), so the same text always yields the same tokens and keys.
/// </summary>
public static class NameNormalizer
{
    // Arabic article particles (assimilated forms of al-) that are only dropped when hyphen-attached
    // ("as-Sadr"); standing alone they are too often real words or initials. "al"/"el" are handled apart.
    private static readonly HashSet<string> HyphenArticles = ["ul", "ad", "as", "ash", "an", "ar", "at", "az"];

    // Accented letters by base letter. A table rather than string.Normalize(FormD): with
    // InvariantGlobalization normalization is a no-op. Covers Latin-1, Latin Extended-A and the
    // dotted letters of Arabic/Persian scholarly transliteration (ḥ, ṣ, ḍ, ṭ, ẓ).
    private static readonly Dictionary<char, string> Folds = BuildFolds(
        ("a", "àáâãäåāăąǎạảấầậắặ"), ("c", "çćĉċč"), ("d", "ďđḍḏð"), ("e", "èéêëēĕėęěẹẻẽếềểễệ"),
        ("g", "ĝğġģǧ"), ("h", "ĥħḥẖ"), ("i", "ìíîïĩīĭįıǐịỉİ"), ("j", "ĵ"), ("k", "ķḳ"), ("l", "ĺļľŀł"),
        ("n", "ñńņňṇ"), ("o", "òóôõöøōŏőǒọỏốồổỗộơớờởỡợ"), ("r", "ŕŗřṛ"), ("s", "śŝşšșṣ"),
        ("t", "ţťŧțṭṯ"), ("u", "ùúûüũūŭůűųǔụủưứừửữự"), ("w", "ŵ"), ("y", "ýÿŷỳỹ"), ("z", "źżžẓ"),
        ("ss", "ß"), ("ae", "æ"), ("oe", "œ"), ("th", "þ"));

    // Applied in order before single letters, so "gh"/"kh" become k before g alone does.
    private static readonly (string From, string To)[] Digraphs =
    [
        ("sch", "x"), ("sh", "x"), ("ch", "x"), ("kh", "k"), ("gh", "k"), ("ck", "k"),
        ("ph", "f"), ("dh", "d"), ("th", "t"), ("dj", "j"), ("ou", "u"),
    ];

    // Words that precede or describe a name in running text ("Iranian Foreign Minister Abbas Araqchi").
    // The matcher drops them from a query before comparing it with names, so the title does not dilute
    // the name match; role matching still sees them.
    private static readonly HashSet<string> TitleWords =
    [
        "president", "vice", "prime", "minister", "foreign", "defence", "defense", "interior", "finance",
        "spokesperson", "spokesman", "spokeswoman", "press", "secretary", "kremlin", "general", "gen",
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "sheikh", "shaikh", "king", "queen",
        "prince", "princess", "emir", "sultan", "ayatollah", "imam", "leader", "opposition", "chief", "head",
        "deputy", "ambassador", "envoy", "senator", "sen", "rep", "representative", "congressman",
        "congresswoman", "gov", "governor", "mayor", "commander", "colonel", "col", "admiral", "chancellor",
        "premier", "former", "acting", "supreme", "senior", "official",
        "iranian", "turkish", "syrian", "russian", "iraqi", "israeli", "ukrainian", "american", "british",
        "french", "german", "chinese", "saudi", "lebanese", "us", "uk", "un",
    ];

    // Carry no identity; dropped from names, roles and queries alike ("the White Helmets" = "White Helmets").
    private static readonly HashSet<string> StopWords = ["a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to"];

    /// <summary>Lower-case, diacritic-free tokens with possessive "s" and Arabic article particles removed.</summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        var folded = Fold(text);
        var tokens = new List<string>();
        var i = 0;
        while (i < folded.Length)
        {
            if (!IsWordChar(folded[i])) { i++; continue; }
            var start = i;
            while (i < folded.Length && IsWordChar(folded[i])) i++;
            var token = folded[start..i];

            // "Iran's" → "iran": an "s" glued to the previous word by an apostrophe.
            if (token == "s" && start >= 2 && IsApostrophe(folded[start - 1]) && IsWordChar(folded[start - 2])) continue;
            // "Bashar Al Assad" / "al-Assad" → "assad": the article is dropped whenever a word follows it.
            if (token is "al" or "el" && HasWordAfter(folded, i)) continue;
            // "as-Sadr" → "sadr": the other particles only when hyphen-attached.
            if (HyphenArticles.Contains(token) && i + 1 < folded.Length && IsHyphen(folded[i]) && IsWordChar(folded[i + 1])) continue;
            tokens.Add(token);
        }
        return tokens;
    }

    /// <summary>
    /// A transliteration key: digraphs and letters with the same sound map to one class, doubled letters
    /// collapse, and vowels after the first letter are dropped, so Araqchi/Araghchi, Gaddafi/Qaddafi/Kadhafi,
    /// Peskov/Peskow and Mohammed/Muhammad/Mohamed collide.
    /// </summary>
    public static string Skeleton(string token)
    {
        var s = token;
        foreach (var (from, to) in Digraphs) s = s.Replace(from, to, StringComparison.Ordinal);

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i] switch
            {
                'q' or 'c' or 'g' => 'k',
                'w' => 'v',
                'y' when i > 0 => 'i', // a leading y is a consonant (Yusuf), elsewhere a vowel (Dmitry)
                var other => other,
            };
            if (sb.Length > 0 && sb[^1] == c) continue;
            sb.Append(c);
        }

        // Vowels vary most between romanizations; the first letter stays so "Abbas" keeps its initial.
        var key = new StringBuilder(sb.Length);
        for (var i = 0; i < sb.Length; i++)
            if (i == 0 || !IsVowel(sb[i])) key.Append(sb[i]);
        return key.ToString();
    }

    /// <summary>True for honorifics, titles, role words and nationality adjectives that precede names.</summary>
    public static bool IsTitleWord(string token) => TitleWords.Contains(token);

    /// <summary>True for function words ("the", "of") that carry no identity in names or roles.</summary>
    public static bool IsStopWord(string token) => StopWords.Contains(token);

    /// <summary>Tokens without stop words, unless that would leave nothing (a name like "The The").</summary>
    internal static IReadOnlyList<string> SignificantTokens(string text)
    {
        var tokens = Tokens(text);
        var kept = tokens.Where(t => !IsStopWord(t)).ToList();
        return kept.Count > 0 ? kept : tokens;
    }

    /// <summary>A crude stem: the first four letters, so "iran"/"iranian" and "turkiye"/"turkish" meet.</summary>
    internal static string Prefix4(string token) => token.Length > 4 ? token[..4] : token;

    private static Dictionary<char, string> BuildFolds(params (string Base, string Accented)[] groups)
    {
        var folds = new Dictionary<char, string>();
        foreach (var (plain, accented) in groups)
            foreach (var c in accented) folds[c] = plain;
        return folds;
    }

    private static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            // Combining accents of already-decomposed text, and the ayn/hamza marks of "ʿAbbās", are not
            // part of the word; apostrophes still separate.
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark || (category == UnicodeCategory.ModifierLetter && !IsApostrophe(c))) continue;
            var lower = char.ToLowerInvariant(c);
            if (Folds.TryGetValue(lower, out var plain)) sb.Append(plain);
            else sb.Append(lower);
        }
        return sb.ToString();
    }

    private static bool HasWordAfter(string text, int index)
    {
        for (var i = index; i < text.Length; i++)
            if (IsWordChar(text[i])) return true;
        return false;
    }

    // ʼ (U+02BC) counts as a letter in Unicode but is written as an apostrophe.
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) && !IsApostrophe(c);

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u02bc' or '`' or '\u00b4';

    private static bool IsHyphen(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation;

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
