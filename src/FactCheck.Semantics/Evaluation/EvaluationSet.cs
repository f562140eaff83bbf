using System.Text.Json;

namespace FactCheck.Semantics.Evaluation;

/// <summary>What a case expects (fixtures/eval/README.md): verdict and reason codes as their UPPER_SNAKE names.</summary>
/// <param name="Evidence">The seed key of the claim the verdict must rest on; null for NOT_FOUND.</param>
/// <param name="Named">The party the answer must name first: a seed speaker key, or an unnamed source's attribution.</param>
public sealed record ExpectedOutcome(string Verdict, string? Evidence, string? Reason, string? Named);

public sealed record EvaluationCase(string Id, string Split, string Category, string Text, string Speaker, DateOnly? SaidOn, ExpectedOutcome Expected);

/// <summary>The labelled verification cases of fixtures/eval/verification.jsonl.</summary>
public static class EvaluationSet
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<EvaluationCase> Load(string path) =>
        [.. File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select((line, i) => JsonSerializer.Deserialize<EvaluationCase>(line, Options) ?? throw new InvalidDataException($"{path}:{i + 1}: empty case"))];

    /// <summary>The repository directory above <paramref name="start"/> (the one holding FactCheck.sln).</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FactCheck.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("FactCheck.sln not found above " + start);
    }
}
