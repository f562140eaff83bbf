using System.Text;
using FactCheck.V1;
using Google.Protobuf.WellKnownTypes;
using Date = Google.Type.Date;

namespace FactCheck.Bench;

/// <summary>
/// A reproducible synthetic data set. Every speaker and claim is a pure function of (seed, index): each gets its own
/// <see cref="Random"/> seeded from both, so records can be generated in any order, on any number of threads, in a
/// stream (no need to hold 1M claims in memory), and a rerun produces byte-identical requests and request ids.
/// </summary>
public sealed class DataGenerator
{
    private static readonly DateTime Epoch = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private const int SpanDays = 730; // two years of reporting

    private readonly int seed;
    private readonly double[] cumulative; // Zipf-like CDF over speaker ranks

    public int Speakers { get; }
    public int Claims { get; }

    /// <summary>Share of claims whose words are on record from another speaker (fuel for MISATTRIBUTED).</summary>
    public double SharedQuoteRate { get; init; } = 0.05;

    public DataGenerator(int seed, int speakers, int claims, double zipfExponent = 1.0)
    {
        if (speakers < 1) throw new UsageException("--speakers must be at least 1");
        this.seed = seed;
        Speakers = speakers;
        Claims = claims;
        cumulative = new double[speakers];
        double sum = 0;
        for (var r = 0; r < speakers; r++) { sum += 1.0 / Math.Pow(r + 1, zipfExponent); cumulative[r] = sum; }
        for (var r = 0; r < speakers; r++) cumulative[r] /= sum;
    }

    public string SpeakerRequestId(int i) => $"bench-s{seed}-speaker-{i}";
    public string ClaimRequestId(int j) => $"bench-s{seed}-claim-{j}";

    private Random Rng(int kind, int index) => new(HashCode.Combine(seed, kind, index) ^ (index * 7919) ^ kind);

    // ---- speakers ---------------------------------------------------------------------------------------------

    public Speaker Speaker(int i)
    {
        var rng = Rng(1, i);
        var first = Pick(rng, Words.FirstNames);
        var last = Pick(rng, Words.Surnames);
        // Beyond the first/last combinations, a middle name keeps display names mostly distinct.
        var middle = i >= Words.FirstNames.Length * Words.Surnames.Length / 4 ? Pick(rng, Words.FirstNames)[0] + ". " : "";
        var display = $"{first[0]} {middle}{last[0]}";
        var speaker = new Speaker { DisplayName = display, Kind = SpeakerKind.Person, Description = $"Synthetic benchmark speaker #{i}" };

        var aliases = new HashSet<string>(StringComparer.Ordinal);
        // Transliteration variants of both names (Mohammad / Muhammad, Araqchi / Araghchi).
        foreach (var f in first) foreach (var l in last)
            if (f != first[0] || l != last[0]) aliases.Add($"{f} {l}");
        aliases.Add(last[0]);                                  // surname-only mentions
        if (rng.NextDouble() < 0.3) aliases.Add($"{first[0][0]}. {last[0]}");
        speaker.Aliases.AddRange(aliases.Where(a => a != display).Take(10));

        var roleCount = rng.Next(1, 4);
        var start = Epoch.AddDays(-rng.Next(0, 3650));
        for (var r = 0; r < roleCount; r++)
        {
            var end = start.AddDays(rng.Next(200, 1500));
            var role = new Role
            {
                Title = Pick(rng, Words.RoleTitles),
                Organization = Pick(rng, Words.Organizations),
                StartDate = ToDate(start),
            };
            if (r < roleCount - 1 || rng.NextDouble() < 0.3) role.EndDate = ToDate(end);
            speaker.Roles.Add(role);
            start = end.AddDays(1);
        }
        if (rng.NextDouble() < 0.4) speaker.WikidataId = "Q" + (100000 + i);
        return speaker;
    }

    private readonly Dictionary<int, string> displayNames = new();

    private string DisplayName(int s)
    {
        lock (displayNames)
        {
            if (!displayNames.TryGetValue(s, out var name)) displayNames[s] = name = Speaker(s).DisplayName;
            return name;
        }
    }

    // ---- claims -------------------------------------------------------------------------------------------------

    /// <summary>Which speaker (by index, 0 = most prolific) claim j is attributed to: Zipf-distributed.</summary>
    public int SpeakerOf(int j)
    {
        var u = Rng(2, j).NextDouble();
        var idx = Array.BinarySearch(cumulative, u);
        return Math.Min(idx >= 0 ? idx : ~idx, Speakers - 1);
    }

    private bool IsShared(int j) => j > 0 && Rng(3, j).NextDouble() < SharedQuoteRate;

    /// <summary>The statement of claim j: composed from word lists, or (sometimes) another claim's words.</summary>
    public string TextOf(int j)
    {
        if (!IsShared(j)) return ComposeText(j);
        var rng = Rng(4, j);
        var k = rng.Next(0, j);
        while (k > 0 && IsShared(k)) k--;
        return ComposeText(k);
    }

    private string ComposeText(int j)
    {
        var rng = Rng(5, j);
        var sentences = rng.Next(1, 4);
        var sb = new StringBuilder();
        for (var s = 0; s < sentences; s++)
        {
            if (s > 0) sb.Append(' ');
            var template = Pick(rng, Words.Templates);
            var sentence = template
                .Replace("{subj}", Pick(rng, Words.Subjects))
                .Replace("{verb}", Pick(rng, Words.Verbs))
                .Replace("{obj}", Pick(rng, Words.Objects))
                .Replace("{adj}", Pick(rng, Words.Adjectives))
                .Replace("{place}", Pick(rng, Words.Places))
                .Replace("{time}", Pick(rng, Words.Times))
                .Replace("{num}", rng.Next(2, 500).ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Real statements name specific things (people, places, programmes) from a long-tailed vocabulary; without
            // them every word pair of a templated text would be shared by a large share of the record.
            if (rng.NextDouble() < 0.8) sentence += " " + Pick(rng, Words.Details).Replace("{rare}", RareWord(rng));
            sb.Append(char.ToUpperInvariant(sentence[0])).Append(sentence, 1, sentence.Length - 1).Append('.');
        }
        return sb.ToString();
    }

    private static readonly string[] Syllables =
        ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "ze", "ba", "ho", "ri", "pa", "tu", "ge", "sha", "kor", "lan", "mes"];

    /// <summary>A pseudo-word from a vocabulary of 160,000, rank log-uniform (Zipf-like: a few common, most rare).</summary>
    private static string RareWord(Random rng)
    {
        var rank = (int)Math.Exp(rng.NextDouble() * Math.Log(160_000));
        var sb = new StringBuilder();
        for (var r = rank; sb.Length == 0 || r > 0; r /= Syllables.Length) sb.Append(Syllables[r % Syllables.Length]);
        return sb.ToString();
    }

    /// <param name="speakerNames">Resource names of created speakers, by index.</param>
    public Claim Claim(int j, IReadOnlyList<string> speakerNames)
    {
        var rng = Rng(6, j);
        var s = SpeakerOf(j);
        var text = TextOf(j);
        var said = Epoch.AddDays(rng.Next(0, SpanDays));
        var kindRoll = rng.NextDouble();
        var kind = kindRoll < 0.6 ? AttributionKind.DirectQuote : kindRoll < 0.85 ? AttributionKind.Paraphrase
            : kindRoll < 0.93 ? AttributionKind.SecondHand : AttributionKind.UnnamedSource;
        var claim = new Claim
        {
            Speaker = speakerNames[s],
            AttributedTo = $"{Pick(rng, Words.RoleTitles)} {DisplayName(s)}",
            Text = text,
            AttributionKind = kind,
            SaidOn = ToDate(said),
            LanguageCode = "en",
            AttributionConfidence = Math.Round(0.5 + rng.NextDouble() * 0.5, 2),
        };
        if (rng.NextDouble() < 0.3) claim.Context = $"Remarks at a {Pick(rng, Words.Venues)} in {Pick(rng, Words.Places)}.";

        var appearances = 1 + (int)Math.Floor(-Math.Log(1 - rng.NextDouble()) * 1.2); // mostly 1-3, a long tail
        appearances = Math.Min(appearances, 12);
        var slug = Slug(text);
        for (var a = 0; a < appearances; a++)
        {
            var pub = Words.Publications[rng.Next(Words.Publications.Length)];
            var published = said.AddHours(rng.Next(1, 24 * (a + 1) * 2)).AddMinutes(rng.Next(0, 60));
            var ap = new Appearance
            {
                Publication = pub.Name,
                Url = $"https://{pub.Domain}/{published:yyyy/MM/dd}/{slug}-{j}-{a}",
                Title = $"{DisplayName(s).Split(' ')[^1]}: {Truncate(text, 80)}",
                PublishTime = Timestamp.FromDateTime(published),
                QuotedSentence = kind == AttributionKind.DirectQuote ? $"\u201C{text}\u201D, said {claim.AttributedTo}." : $"{claim.AttributedTo} said {text}",
            };
            if (rng.NextDouble() < 0.35) ap.CreditedOutlets.Add(Pick(rng, Words.Wires));
            claim.Appearances.Add(ap);
        }
        return claim;
    }

    private static string Slug(string text)
    {
        var words = text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(6)
            .Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray())).Where(w => w.Length > 0);
        return string.Join('-', words);
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n].TrimEnd() + "...";
    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];
    private static Date ToDate(DateTime d) => new() { Year = d.Year, Month = d.Month, Day = d.Day };
}
