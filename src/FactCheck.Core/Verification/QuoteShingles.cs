using System.Text;

namespace FactCheck.Core.Verification;

/// <summary>
/// Index keys for finding candidate claims: stable 64-bit hashes of word pairs (2-shingles).
/// <para>
/// Pairs rather than triples: a quote keeps a key for every two adjacent words it shares with the record, so
/// a seven-word quote still has five or six keys, each side of an elision keeps its own, and one changed word
/// costs two keys instead of three. Pairs of two function words ("of the", "we are") are skipped, since they
/// would be the longest posting lists and select nothing; a text with no other pair keeps them, and a text
/// without any pair (a single word) is keyed by its words. Pairs never span an elision.
/// </para>
/// <para>
/// At most <see cref="MaxPerText"/> keys per text. A longer text is thinned by winnowing (Schleimer et al.,
/// 2003): the smallest hash of every window of w consecutive pairs is kept, with w the smallest window that
/// fits the bound. Any run of at least w shared pairs therefore shares a kept key, and because the query side
/// applies the same function, a shorter text is thinned with a window no larger than that of a longer text
/// containing it. So one function serves both the stored claims and the query.
/// </para>
/// <para>
/// Hash: FNV-1a 64 over the UTF-8 bytes of "word" or "word word", followed by the MurmurHash3 64-bit finalizer
/// so that all bits are well mixed (winnowing compares whole values; a store may partition on bits). Stable
/// across processes and platforms. The words come from <see cref="QuoteText.Words"/>, so changing the
/// tokenizer, the function-word list or the hash changes the keys: bump <see cref="Version"/> and rebuild.
/// </para>
/// </summary>
public static class QuoteShingles
{
    /// <summary>Version of the key scheme; stored keys made under another version must be recomputed.</summary>
    public const int Version = 1;

    public const int MaxPerText = 256;

    /// <summary>How many claims a look-up reads per key, newest first. A key carried by more claims ("the
    /// government said") says little about which claim a quote comes from, and reading all of its claims would make
    /// a look-up's cost grow with the record; a true source still shares the quote's rarer keys, read in full.</summary>
    public const int MaxClaimsReadPerKey = 100;

    /// <summary>Distinct keys of the text in order of first occurrence, at most <see cref="MaxPerText"/>.</summary>
    public static IReadOnlyCollection<long> For(string text)
    {
        var segments = QuoteText.Segments(text);
        var sequence = Pairs(segments, skipFunctionPairs: true);
        if (sequence.Count == 0) sequence = Pairs(segments, skipFunctionPairs: false);
        if (sequence.Count == 0) sequence = [.. segments.SelectMany(words => words).Select(Hash)];

        var distinct = Distinct(sequence);
        if (distinct.Count <= MaxPerText) return distinct;

        // Winnowing keeps about 2/(w+1) of the sequence; start from that estimate and widen until it fits. There
        // are only n-w+1 windows, so it fits before the window reaches the length of the sequence.
        for (var window = Math.Max(2, (int)Math.Ceiling(2.0 * sequence.Count / MaxPerText) - 1); ; window++)
        {
            var kept = Winnow(sequence, window);
            if (kept.Count <= MaxPerText) return kept;
        }
    }

    internal static long Hash(string shingle) => unchecked((long)Mix(Fnv1a64(Encoding.UTF8.GetBytes(shingle))));

    internal static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = unchecked((hash ^ b) * 1099511628211UL);
        return hash;
    }

    private static ulong Mix(ulong h)
    {
        unchecked
        {
            h ^= h >> 33;
            h *= 0xff51afd7ed558ccdUL;
            h ^= h >> 33;
            h *= 0xc4ceb9fe1a85ec53UL;
            h ^= h >> 33;
            return h;
        }
    }

    private static List<long> Pairs(IReadOnlyList<IReadOnlyList<string>> segments, bool skipFunctionPairs)
    {
        var pairs = new List<long>();
        foreach (var words in segments)
            for (var i = 0; i + 1 < words.Count; i++)
                if (!skipFunctionPairs || !QuoteText.IsFunctionWord(words[i]) || !QuoteText.IsFunctionWord(words[i + 1]))
                    pairs.Add(Hash(words[i] + " " + words[i + 1]));
        return pairs;
    }

    private static List<long> Distinct(IEnumerable<long> hashes)
    {
        var seen = new HashSet<long>();
        return [.. hashes.Where(seen.Add)];
    }

    /// <summary>The minimum of every window (the rightmost on ties), via a monotonic deque: O(n).</summary>
    private static List<long> Winnow(List<long> sequence, int window)
    {
        var minima = new List<long>();
        var deque = new int[sequence.Count];
        int head = 0, tail = 0;
        for (var i = 0; i < sequence.Count; i++)
        {
            while (tail > head && sequence[deque[tail - 1]] >= sequence[i]) tail--;
            deque[tail++] = i;
            if (deque[head] <= i - window) head++;
            if (i >= window - 1) minima.Add(sequence[deque[head]]);
        }
        return Distinct(minima);
    }
}
