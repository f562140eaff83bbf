namespace FactCheck.Core.Verification;

/// <summary>
/// Whether one text says the opposite of another. Sentence embeddings score a negation almost as close to its
/// original as a true rewording, so this is a signal of its own, from a small curated lexicon:
/// <list type="bullet">
/// <item><b>Negation cues</b> (not, never, no, no longer, none, nobody, nothing, without, neither, nor) and
/// <b>negating verbs</b> (deny, refuse, stop, cease, halt, fail, reject, prevent, block) negate the next content
/// word: "will not <i>help</i>", "refused to <i>provide</i>", "stopped <i>supporting</i>", "no <i>fighters</i>".
/// Two in a row cancel ("has not stopped supporting").</item>
/// <item><b>Antonyms</b> (help/hinder, provide/withhold, capable/incapable, before/after, lift/tighten ...): a word
/// and its opposite at the same polarity.</item>
/// </list>
/// Words are compared by a light stem ("supporting" = "supports" = "support"). Two texts are opposed when a content
/// word both share has opposite polarity, when one has a word's antonym at the same polarity, or — only if
/// <paramref name="parityCounts"/> — when their numbers of negations differ in parity (a negated word that the other
/// text words differently: "no one was killed" against "seven people were killed").
/// Callers decide relatedness first: two unrelated texts sharing a word are not a contradiction.
/// </summary>
public static class Polarity
{
    private static readonly HashSet<string> Cues = ["not", "never", "no", "none", "nobody", "nothing", "without", "neither", "nor"];

    // Verbs that negate what follows them, in the forms they appear in (compared by stem).
    private static readonly HashSet<string> NegatingVerbs = Stems(
        "deny", "denies", "denied", "denying", "refuse", "refuses", "refused", "refusing", "stop", "stops", "stopped",
        "stopping", "cease", "ceased", "halt", "halted", "fail", "failed", "reject", "rejects", "rejected", "prevent",
        "prevented", "block", "blocked");

    // After "no": "no longer", "no one", "no more" negate the word after them, not themselves.
    private static readonly HashSet<string> AfterNo = ["longer", "one", "more"];

    // Opposite pairs, as words (compared by stem); irregular forms are listed as pairs of their own.
    private static readonly Dictionary<string, HashSet<string>> Antonyms = BuildAntonyms(
        ("help", "hinder"), ("help", "obstruct"), ("provide", "withhold"), ("provide", "withheld"), ("support", "oppose"),
        ("support", "abandon"), ("capable", "incapable"), ("capable", "unable"), ("able", "unable"), ("possible", "impossible"),
        ("likely", "unlikely"), ("willing", "unwilling"), ("ready", "unwilling"), ("ready", "reluctant"), ("cross", "withdraw"),
        ("cross", "withdrew"), ("crossed", "withdrew"), ("enter", "withdraw"), ("enter", "withdrew"), ("enter", "leave"),
        ("send", "withdraw"), ("sent", "withdrawn"), ("advance", "retreat"), ("small", "large"), ("small", "big"),
        ("lift", "impose"), ("lift", "tighten"), ("ease", "tighten"), ("before", "after"), ("dismiss", "retain"),
        ("dismissed", "kept"), ("recapture", "lose"), ("recaptured", "lost"), ("capture", "lose"), ("captured", "lost"),
        ("win", "lose"), ("won", "lost"), ("increase", "decrease"), ("raise", "lower"), ("rise", "fall"), ("allow", "forbid"),
        ("allow", "ban"), ("strengthen", "weaken"), ("open", "close"), ("include", "exclude"), ("legal", "illegal"),
        ("true", "false"), ("ally", "enemy"), ("friend", "enemy"), ("continue", "end"));

    /// <summary>A text reduced to its content words, each with whether it is negated.</summary>
    public sealed class Profile
    {
        internal Profile(IReadOnlyList<(string Stem, bool Negated)> words, int cues)
        {
            Words = words;
            Cues = cues;
        }

        internal IReadOnlyList<(string Stem, bool Negated)> Words { get; }
        internal int Cues { get; }
    }

    public static Profile Of(string text)
    {
        var words = new List<(string, bool)>();
        var pending = false;
        var cues = 0;
        var tokens = QuoteText.Words(text);
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i];
            if (Cues.Contains(word))
            {
                pending = !pending;
                cues++;
                if (word == "no" && i + 1 < tokens.Count && AfterNo.Contains(tokens[i + 1])) i++;
                continue;
            }
            if (QuoteText.IsFunctionWord(word)) continue;
            var stem = Stem(word);
            if (NegatingVerbs.Contains(stem))
            {
                pending = !pending;
                cues++;
                continue;
            }
            words.Add((stem, pending));
            pending = false;
        }
        return new Profile(words, cues);
    }

    /// <summary>True when the texts say opposite things about a word they share, or one uses the other's antonym.</summary>
    /// <param name="parityCounts">Also count a difference in the parity of their negations (see the class summary).</param>
    public static bool Opposed(Profile a, Profile b, bool parityCounts)
    {
        foreach (var (stem, negated) in a.Words)
            foreach (var (other, otherNegated) in b.Words)
            {
                if (stem == other && negated != otherNegated) return true;
                if (negated == otherNegated && Antonyms.TryGetValue(stem, out var opposites) && opposites.Contains(other)) return true;
            }
        return parityCounts && a.Cues % 2 != b.Cues % 2;
    }

    /// <summary>
    /// A light suffix-stripping stem, enough for the inflections of one verb or noun to meet ("provided",
    /// "providing", "provides" → "provid"); not a linguistic stemmer, and only ever compared with itself.
    /// </summary>
    internal static string Stem(string word)
    {
        if (word.Length <= 3) return word;
        foreach (var suffix in (ReadOnlySpan<string>)["ing", "ied", "ies", "ed", "es", "s", "e", "y"])
        {
            if (!word.EndsWith(suffix, StringComparison.Ordinal) || word.Length - suffix.Length < 3) continue;
            if (suffix == "s" && word.EndsWith("ss", StringComparison.Ordinal)) continue;
            return suffix is "ied" or "ies" ? word[..^suffix.Length] + "i" : word[..^suffix.Length];
        }
        return word;
    }

    private static HashSet<string> Stems(params string[] words) => new(words.Select(Stem), StringComparer.Ordinal);

    private static Dictionary<string, HashSet<string>> BuildAntonyms(params (string, string)[] pairs)
    {
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (a, b) in pairs)
        {
            Add(Stem(a), Stem(b));
            Add(Stem(b), Stem(a));
        }
        return map;

        void Add(string from, string to)
        {
            if (!map.TryGetValue(from, out var set)) map[from] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(to);
        }
    }
}
