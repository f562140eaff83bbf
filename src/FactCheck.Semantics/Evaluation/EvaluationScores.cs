using System.Globalization;
using System.Text;

namespace FactCheck.Semantics.Evaluation;

/// <summary>The numbers the targets of issue 12 are stated in, over a set of outcomes.</summary>
public sealed record EvaluationScores(
    int Cases, double VerdictAccuracy, double FullAccuracy,
    double RewordingRecall, double InSubstancePrecision,
    int SupportOnContradictions, int Contradictions, int AnsweredOnUnrelated, int Unrelated,
    double VerbatimAndFragmentAccuracy)
{
    private static readonly string[] Rewordings = ["reworded", "translation"];
    private static readonly string[] Verbatim = ["verbatim", "near", "fragment"];

    /// <summary>Targets: no support for a contradiction, nothing but NOT_FOUND for unrelated text; rewordings recalled ≥ 0.8 at
    /// precision ≥ 0.9; verbatim, near and fragment cases all right.</summary>
    public bool MeetsTargets =>
        SupportOnContradictions == 0 && AnsweredOnUnrelated == 0 && RewordingRecall >= 0.8 && InSubstancePrecision >= 0.9
        && VerbatimAndFragmentAccuracy >= 1.0;

    public static EvaluationScores Of(IReadOnlyList<CaseOutcome> outcomes)
    {
        var rewordings = outcomes.Where(o => Rewordings.Contains(o.Case.Category)).ToList();
        var inSubstance = outcomes.Where(o => o.Verdict == "SUPPORTED_IN_SUBSTANCE").ToList();
        var contradictions = outcomes.Where(o => o.Case.Expected.Verdict == "CONTRADICTED" || o.Case.Category is "negation" or "antonym" or "negation-wrong-speaker").ToList();
        var unrelated = outcomes.Where(o => o.Case.Category == "unrelated").ToList();
        var verbatim = outcomes.Where(o => Verbatim.Contains(o.Case.Category)).ToList();
        return new(
            outcomes.Count, Share(outcomes, o => o.VerdictRight), Share(outcomes, o => o.FullyRight),
            Share(rewordings, o => o.VerdictRight), inSubstance.Count == 0 ? 1 : Share(inSubstance, o => o.VerdictRight),
            contradictions.Count(o => CaseOutcome.IsSupport(o.Verdict)), contradictions.Count,
            unrelated.Count(o => o.Verdict != "NOT_FOUND"), unrelated.Count,
            Share(verbatim, o => o.VerdictRight));
    }

    private static double Share<T>(IReadOnlyCollection<T> items, Func<T, bool> predicate) =>
        items.Count == 0 ? 1 : (double)items.Count(predicate) / items.Count;

    public static string Percent(double share) => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}

/// <summary>Markdown tables of an evaluation: per-verdict precision and recall, the confusion matrix, and each category.</summary>
public static class EvaluationTables
{
    public static readonly string[] Verdicts =
        ["SUPPORTED", "SUPPORTED_IN_SUBSTANCE", "PARTIALLY_SUPPORTED", "MISATTRIBUTED", "CONTRADICTED", "NOT_FOUND"];

    public static string PrecisionRecall(IReadOnlyList<CaseOutcome> outcomes)
    {
        var sb = new StringBuilder("| Verdict | Expected | Answered | Right | Precision | Recall |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var verdict in Verdicts)
        {
            var expected = outcomes.Count(o => o.Case.Expected.Verdict == verdict);
            var answered = outcomes.Count(o => o.Verdict == verdict);
            var right = outcomes.Count(o => o.Verdict == verdict && o.VerdictRight);
            sb.Append(CultureInfo.InvariantCulture, $"| {verdict} | {expected} | {answered} | {right} | {Ratio(right, answered)} | {Ratio(right, expected)} |\n");
        }
        return sb.ToString();
    }

    public static string Confusion(IReadOnlyList<CaseOutcome> outcomes)
    {
        var sb = new StringBuilder("| expected \\ answered | " + string.Join(" | ", Verdicts.Select(Short)) + " |\n| --- |" + string.Concat(Verdicts.Select(_ => " ---: |")) + "\n");
        foreach (var expected in Verdicts)
            sb.Append("| ").Append(Short(expected)).Append(" | ")
              .Append(string.Join(" | ", Verdicts.Select(answered => outcomes.Count(o => o.Case.Expected.Verdict == expected && o.Verdict == answered))))
              .Append(" |\n");
        return sb.ToString();
    }

    public static string Categories(IReadOnlyList<CaseOutcome> outcomes)
    {
        var sb = new StringBuilder("| Category | Cases | Verdict right | Verdict, evidence, reason and party right |\n| --- | ---: | ---: | ---: |\n");
        foreach (var group in outcomes.GroupBy(o => o.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} | {group.Count(o => o.VerdictRight)} | {group.Count(o => o.FullyRight)} |\n");
        return sb.ToString();
    }

    private static string Short(string verdict) => verdict switch
    {
        "SUPPORTED_IN_SUBSTANCE" => "IN_SUBSTANCE",
        "PARTIALLY_SUPPORTED" => "PARTIALLY",
        _ => verdict,
    };

    private static string Ratio(int numerator, int denominator) =>
        denominator == 0 ? "-" : ((double)numerator / denominator).ToString("F3", CultureInfo.InvariantCulture);
}
