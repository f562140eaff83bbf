using System.Diagnostics;
using System.Globalization;
using System.Text;
using FactCheck.Core.Verification;
using FactCheck.Semantics.Embedding;
using FactCheck.Semantics.Evaluation;

namespace FactCheck.Bench.Semantics;

/// <summary>
/// <c>evaluate</c>: runs the labelled evaluation set (fixtures/eval/verification.jsonl) through the whole decision
/// pipeline in process, searches the thresholds on the tune split, and writes the results — with the thresholds in
/// use (<see cref="MatchThresholds.Default"/>) on both splits — into a section of bench/RESULTS.md.
/// </summary>
public static class EvaluateCommand
{
    private const string Start = "<!-- semantic-evaluation:start -->";
    private const string End = "<!-- semantic-evaluation:end -->";

    // The grid searched on the tune split.
    private static readonly double[] ParaphraseGrid = [.. Enumerable.Range(0, 21).Select(i => 0.50 + i * 0.02)];
    private static readonly double[] RelatedGrid = [.. Enumerable.Range(0, 9).Select(i => 0.40 + i * 0.05)];
    private static readonly double[] AttributedToGrid = [0.5, 0.67, 0.75, 1.0];
    // Phase B: the cosine from which a parity difference alone is a contradiction (from the relatedness cosine up to
    // the paraphrase cosine), and the lexical NEAR ratio.
    private static readonly double[] ParityRelatedGrid = [.. Enumerable.Range(0, 6).Select(i => 0.45 + i * 0.05)];
    private static readonly double[] NearGrid = [0.74, 0.76, 0.78, 0.80, 0.82];
    // Phase C: the PARTIAL ratio. The FRAGMENT measures are only shown as curves: a fragment and a partial overlap both
    // give PARTIALLY_SUPPORTED, so the set's verdicts cannot place them.
    private static readonly double[] FragmentGrid = [.. Enumerable.Range(0, 5).Select(i => 0.70 + i * 0.05)];
    private static readonly double[] PartialGrid = [.. Enumerable.Range(0, 7).Select(i => 0.35 + i * 0.05)];
    private static readonly int[] MinFragmentWordsGrid = [2, 3, 4, 5, 6];

    public static async Task<int> RunAsync(Args args)
    {
        var root = EvaluationSet.RepositoryRoot(args.String("repo", Environment.CurrentDirectory)!);
        var output = args.String("out", Path.Combine(root, "bench", "RESULTS.md"))!;
        args.EnsureAllUsed();

        var watch = Stopwatch.StartNew();
        using var embedder = new MiniLmEmbedder();
        var fixture = SeedFixture.Load(Path.Combine(root, "fixtures", "seed", "dawn-2024-12-03.json"));
        var cases = EvaluationSet.Load(Path.Combine(root, "fixtures", "eval", "verification.jsonl"));
        var verifier = await InMemoryVerifier.CreateAsync(fixture, embedder, CancellationToken.None);
        var run = await EvaluationRun.CreateAsync(verifier, cases, CancellationToken.None);
        Console.Error.WriteLine($"[evaluate] {cases.Count} cases embedded in {watch.Elapsed.TotalSeconds:F0} s");

        var best = Search(run);
        var inUse = MatchThresholds.Default;
        var sb = new StringBuilder();
        sb.Append(Start).Append('\n');
        sb.Append("## Verification quality (evaluation set)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Produced by `dotnet bench/FactCheck.Bench/bin/Release/net10.0/FactCheck.Bench.dll evaluate` on {DateTime.UtcNow:yyyy-MM-dd}: ");
        sb.Append(CultureInfo.InvariantCulture, $"{cases.Count} labelled cases of `fixtures/eval/verification.jsonl` (see its README), the seed fixture's 16 claims, {embedder.Model}, ");
        sb.Append("candidates from exact cosine (top 10) and shared shingles, speakers resolved by the Core name matcher, decided by `VerificationDecision`.\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Thresholds in use (`MatchThresholds.Default`): {Describe(inUse)}.\n");
        sb.Append(CultureInfo.InvariantCulture, $"Best on the tune split by the search below: {Describe(best)}.\n\n");
        sb.Append("Search, on the **tune** split only: every combination of paraphrase cosine 0.50-0.90 (step 0.02), relatedness cosine 0.40-0.80 (step 0.05), ");
        sb.Append(CultureInfo.InvariantCulture, $"negation parity on/off, attribution coverage {{0.5, 0.67, 0.75, 1.0}} (phase A's grid, the lexical measures as in use: {DescribeLexical(inUse)}); then, with the winner's cosines and coverage, ");
        sb.Append("NEAR ratio 0.74-0.82 (step 0.02) by negation parity off or on from a cosine of 0.45-0.70 (step 0.05, between the relatedness and paraphrase cosines) (phase B); ");
        sb.Append("then, with phase B's winner, PARTIAL ratio 0.35-0.65 (step 0.05) (phase C). ");
        sb.Append("Among combinations with no support for a contradiction, ");
        sb.Append("nothing but NOT_FOUND for unrelated text and SUPPORTED_IN_SUBSTANCE precision ≥ 0.9, the one with the most fully right cases wins ");
        sb.Append("(ties: more rewordings recalled, then the more conservative setting: higher paraphrase cosine, higher attribution coverage, lower relatedness cosine, ");
        sb.Append("higher NEAR ratio, parity on, a higher parity cosine, then a higher PARTIAL ratio). ");
        sb.Append("The FRAGMENT ratio and the fewest words of a fragment are not searched: a fragment and a partial overlap both answer PARTIALLY_SUPPORTED, ");
        sb.Append("so the set's verdicts cannot place them (their curves below are flat).\n\n");
        sb.Append("Curves on the tune split, one threshold moved at a time (the others as in use):\n\n");
        sb.Append(Curve(run, "Paraphrase cosine", ParaphraseGrid, p => inUse with { Paraphrase = p }));
        sb.Append(Curve(run, "PARTIAL ratio", PartialGrid, p => inUse with { Partial = p }));
        sb.Append(Curve(run, "FRAGMENT ratio", FragmentGrid, f => inUse with { Fragment = f }));
        sb.Append(Curve(run, "Fewest fragment words", MinFragmentWordsGrid, w => inUse with { MinFragmentWords = w }));

        foreach (var split in new[] { "tune", "test", null })
        {
            var outcomes = run.Run(inUse, split);
            var scores = EvaluationScores.Of(outcomes);
            sb.Append(CultureInfo.InvariantCulture, $"\n### {(split is null ? "All cases" : split == "tune" ? "Tune split" : "Test split (held out)")}: {outcomes.Count} cases\n\n");
            sb.Append(Targets(scores)).Append('\n');
            sb.Append(EvaluationTables.PrecisionRecall(outcomes)).Append('\n');
            sb.Append(EvaluationTables.Confusion(outcomes)).Append('\n');
            sb.Append(EvaluationTables.Categories(outcomes));
            var wrong = outcomes.Where(o => !o.FullyRight).ToList();
            if (wrong.Count > 0 && split is not null)
            {
                sb.Append("\nNot fully right:\n\n");
                foreach (var o in wrong)
                    sb.Append(CultureInfo.InvariantCulture, $"- `{o.Case.Id}`: expected {Outcome(o.Case.Expected.Verdict, o.Case.Expected.Reason, o.Case.Expected.Evidence, o.Case.Expected.Named)}, answered {Outcome(o.Verdict, o.Reason, o.Evidence, o.Named)}\n");
            }
        }
        sb.Append(End).Append('\n');
        WriteSection(output, sb.ToString(), Start, End);
        Console.WriteLine(sb);
        return 0;
    }

    /// <summary>Three stages, so that the search stays minutes on a busy machine: phase A's grid of the cosines and the
    /// attribution coverage (negation parity off, or on from the relatedness cosine; the lexical measures as in use),
    /// then, with the winner's cosines and coverage, every NEAR ratio and parity cosine (phase B), then, with phase B's
    /// winner, every PARTIAL ratio (phase C).</summary>
    private static MatchThresholds Search(EvaluationRun run)
    {
        MatchThresholds? best = null;
        EvaluationScores? bestScores = null;
        void Consider(MatchThresholds thresholds)
        {
            var scores = EvaluationScores.Of(run.Run(thresholds, "tune"));
            if (scores.SupportOnContradictions > 0 || scores.AnsweredOnUnrelated > 0 || scores.InSubstancePrecision < 0.9) return;
            if (bestScores is null || Better(scores, thresholds, bestScores, best!)) (best, bestScores) = (thresholds, scores);
        }

        foreach (var attributedTo in AttributedToGrid)
            foreach (var related in RelatedGrid)
                foreach (var paraphrase in ParaphraseGrid)
                    foreach (var parity in new[] { false, true })
                        Consider(MatchThresholds.Default with
                        {
                            Paraphrase = paraphrase,
                            Related = related,
                            AttributedTo = attributedTo,
                            NegationParity = parity,
                            ParityRelated = related,
                        });
        if (best is { } found)
        {
            var parityCosines = ParityRelatedGrid.Append(found.Related).Where(p => p >= found.Related && p <= found.Paraphrase).Distinct();
            foreach (var near in NearGrid)
            {
                // The parity rule off, or on from each cosine between the relatedness and paraphrase cosines.
                Consider(found with { NegationParity = false, ParityRelated = found.Related, Near = near });
                foreach (var parityRelated in parityCosines) Consider(found with { NegationParity = true, ParityRelated = parityRelated, Near = near });
            }
        }
        if (best is { } phaseB)
            foreach (var partial in PartialGrid) Consider(phaseB with { Partial = partial });
        return best ?? MatchThresholds.Default;
    }

    private static string Curve<T>(EvaluationRun run, string name, IEnumerable<T> grid, Func<T, MatchThresholds> at) where T : IFormattable
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"| {name} | Rewording recall | IN_SUBSTANCE precision | Support on contradictions | Unrelated not NOT_FOUND | Verdict right | Fully right |\n");
        sb.Append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var value in grid)
        {
            var s = EvaluationScores.Of(run.Run(at(value), "tune"));
            sb.Append(CultureInfo.InvariantCulture, $"| {value.ToString(value is double ? "F2" : null, CultureInfo.InvariantCulture)} | {EvaluationScores.Percent(s.RewordingRecall)} | {EvaluationScores.Percent(s.InSubstancePrecision)} | {s.SupportOnContradictions}/{s.Contradictions} | {s.AnsweredOnUnrelated}/{s.Unrelated} | {EvaluationScores.Percent(s.VerdictAccuracy)} | {EvaluationScores.Percent(s.FullAccuracy)} |\n");
        }
        return sb.Append('\n').ToString();
    }

    // Ties go to the more conservative setting: less said to be meant in substance (higher paraphrase cosine), stricter
    // matching of unnamed sources, more texts checked for contradiction (lower relatedness cosine), fewer variants called
    // the speaker's own words (higher NEAR ratio), fewer contradictions read from a parity of negations alone between
    // loosely related texts (a higher parity cosine only ever turns such a CONTRADICTED into NOT_FOUND), fewer texts
    // called partly the speaker's words (higher PARTIAL ratio).
    private static bool Better(EvaluationScores a, MatchThresholds at, EvaluationScores b, MatchThresholds bt) =>
        a.FullAccuracy != b.FullAccuracy ? a.FullAccuracy > b.FullAccuracy
        : a.RewordingRecall != b.RewordingRecall ? a.RewordingRecall > b.RewordingRecall
        : at.Paraphrase != bt.Paraphrase ? at.Paraphrase > bt.Paraphrase
        : at.AttributedTo != bt.AttributedTo ? at.AttributedTo > bt.AttributedTo
        : at.Related != bt.Related ? at.Related < bt.Related
        : at.Near != bt.Near ? at.Near > bt.Near
        : at.NegationParity != bt.NegationParity ? at.NegationParity
        : at.ParityRelated != bt.ParityRelated ? at.ParityRelated > bt.ParityRelated
        : at.Partial > bt.Partial;

    private static string Describe(MatchThresholds t) => string.Create(CultureInfo.InvariantCulture,
        $"paraphrase cosine ≥ {t.Paraphrase:F2}, relatedness cosine ≥ {t.Related:F2}, attribution coverage ≥ {t.AttributedTo:F2}, " +
        $"negation parity {(t.NegationParity ? $"on from cosine {t.ParityRelated:F2} (or shared words)" : "off")}, {DescribeLexical(t)}");

    private static string DescribeLexical(MatchThresholds t) => string.Create(CultureInfo.InvariantCulture,
        $"NEAR ratio ≥ {t.Near:F2}, FRAGMENT ratio ≥ {t.Fragment:F2} from {t.MinFragmentWords} words, PARTIAL ratio ≥ {t.Partial:F2}");

    internal static string Targets(EvaluationScores s) => string.Create(CultureInfo.InvariantCulture,
        $"""
        | Target | Measured | Met |
        | --- | ---: | :---: |
        | zero support verdicts on negated or contradicting cases | {s.SupportOnContradictions} of {s.Contradictions} | {Mark(s.SupportOnContradictions == 0)} |
        | rewording recall ≥ 0.8 (reworded + translation cases) | {s.RewordingRecall:F3} | {Mark(s.RewordingRecall >= 0.8)} |
        | ... at SUPPORTED_IN_SUBSTANCE precision ≥ 0.9 | {s.InSubstancePrecision:F3} | {Mark(s.InSubstancePrecision >= 0.9)} |
        | verbatim, near and fragment cases 100% | {EvaluationScores.Percent(s.VerbatimAndFragmentAccuracy)} | {Mark(s.VerbatimAndFragmentAccuracy >= 1)} |
        | zero false support (anything but NOT_FOUND) on unrelated cases | {s.AnsweredOnUnrelated} of {s.Unrelated} | {Mark(s.AnsweredOnUnrelated == 0)} |
        | (verdict right, all cases of the split) | {EvaluationScores.Percent(s.VerdictAccuracy)} | |
        | (verdict, evidence, reason and named party all right) | {EvaluationScores.Percent(s.FullAccuracy)} | |

        """);

    private static string Mark(bool met) => met ? "met" : "**not met**";

    private static string Outcome(string verdict, string? reason, string? evidence, string? named) =>
        verdict + (reason is null ? "" : $" ({reason})") + (evidence is null ? "" : $" on `{evidence}`") + (named is null ? "" : $" naming `{named}`");

    /// <summary>Replaces the section between the markers in the results file, or appends it.</summary>
    public static void WriteSection(string path, string section, string start, string end)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..from] + section + text[Math.Min(text.Length, to + end.Length + 1)..]
            : text.TrimEnd() + "\n\n" + section;
        File.WriteAllText(path, text);
    }
}
