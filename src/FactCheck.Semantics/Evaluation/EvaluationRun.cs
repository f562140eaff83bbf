using System.Text.RegularExpressions;
using FactCheck.Core.Verification;

namespace FactCheck.Semantics.Evaluation;

/// <summary>What the pipeline answered for one case, in the evaluation set's vocabulary.</summary>
public sealed record CaseOutcome(EvaluationCase Case, string Verdict, string? Reason, string? Evidence, string? Named)
{
    public bool VerdictRight => Verdict == Case.Expected.Verdict;

    /// <summary>The verdict, and whatever else the case expects: evidence claim, reason code, party named first.</summary>
    public bool FullyRight =>
        VerdictRight
        && (Case.Expected.Evidence is null || Case.Expected.Evidence == Evidence)
        && (Case.Expected.Reason is null || Case.Expected.Reason == Reason)
        && (Case.Expected.Named is null || Case.Expected.Named == Named);

    public static bool IsSupport(string verdict) => verdict is "SUPPORTED" or "SUPPORTED_IN_SUBSTANCE" or "PARTIALLY_SUPPORTED";
}

/// <summary>Runs every case of the evaluation set through <see cref="InMemoryVerifier"/>, embedding each text once.</summary>
public sealed partial class EvaluationRun
{
    private readonly InMemoryVerifier verifier;
    private readonly IReadOnlyList<(EvaluationCase Case, float[] Vector)> cases;

    private EvaluationRun(InMemoryVerifier verifier, IReadOnlyList<(EvaluationCase, float[])> cases)
    {
        this.verifier = verifier;
        this.cases = cases;
    }

    public IReadOnlyList<EvaluationCase> Cases => [.. cases.Select(c => c.Case)];

    public static async Task<EvaluationRun> CreateAsync(InMemoryVerifier verifier, IReadOnlyList<EvaluationCase> cases, CancellationToken cancellationToken)
    {
        var vectors = await verifier.EmbedAsync([.. cases.Select(c => c.Text)], cancellationToken);
        return new EvaluationRun(verifier, [.. cases.Select((c, i) => (c, vectors[i]))]);
    }

    public IReadOnlyList<CaseOutcome> Run(MatchThresholds thresholds, string? split = null) =>
        [.. cases.Where(c => split is null || c.Case.Split == split).Select(c => Outcome(c.Case, verifier.Verify(c.Case.Text, c.Vector, c.Case.Speaker, c.Case.SaidOn, thresholds)))];

    public static CaseOutcome Outcome(EvaluationCase @case, VerificationResult result) =>
        new(@case, UpperSnake(result.Verdict.ToString()),
            result.Reason == ReasonCode.Unspecified ? null : UpperSnake(result.Reason.ToString()),
            result.Evidence?.Id, result.Named.Count > 0 ? result.Named[0].ToString() : null);

    /// <summary>"SupportedInSubstance" -> "SUPPORTED_IN_SUBSTANCE", as the evaluation set and the protos spell them.</summary>
    public static string UpperSnake(string name) => WordBoundary().Replace(name, "_$1").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordBoundary();
}
