using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FactCheck.Core.Verification;
using FactCheck.Semantics.Embedding;
using FactCheck.Semantics.Evaluation;
using FactCheck.V1;

namespace FactCheck.Bench.Semantics;

/// <summary>
/// `evaluate-service`: the evaluation set through a running server's VerifyAttribution, the whole path (speaker
/// resolution in the store, shingle and vector candidates, the indexer's vectors) instead of the in-process harness.
/// Loads the seed fixture with the CLI's import (as a user would), waits until the server has embedded every claim,
/// runs the cases, runs them in process too, and writes both side by side to its section of RESULTS.md, listing every
/// case on which they differ.
/// </summary>
public static class ServiceEvaluateCommand
{
    private const string Start = "<!-- service-evaluation:start -->";
    private const string End = "<!-- service-evaluation:end -->";

    public static async Task<int> RunAsync(Args args)
    {
        var server = args.Required("server");
        var apiKey = Channels.ApiKey(args);
        var root = EvaluationSet.RepositoryRoot(args.String("repo", Environment.CurrentDirectory)!);
        var output = args.String("out", Path.Combine(root, "bench", "RESULTS.md"))!;
        var cli = args.String("cli", Path.Combine(root, "src", "FactCheck.Cli", "bin", "Release", "net10.0", "factcheck.dll"))!;
        args.EnsureAllUsed();

        var seedPath = Path.Combine(root, "fixtures", "seed", "dawn-2024-12-03.json");
        var fixture = SeedFixture.Load(seedPath);
        var cases = EvaluationSet.Load(Path.Combine(root, "fixtures", "eval", "verification.jsonl"));
        await ImportAsync(cli, server, apiKey, seedPath);

        using var channel = Channels.Create(server, apiKey);
        var claims = new ClaimService.ClaimServiceClient(channel);
        var speakers = new SpeakerService.SpeakerServiceClient(channel);
        // The server's names for the fixture's keys: speakers by display name, claims by text.
        var speakerKeys = (await speakers.ListSpeakersAsync(new ListSpeakersRequest { PageSize = 1000 })).Speakers
            .Join(fixture.Speakers, s => s.DisplayName, f => f.DisplayName, (s, f) => (s.Name, f.Id)).ToDictionary(p => p.Name, p => p.Id);
        var claimKeys = (await claims.ListClaimsAsync(new ListClaimsRequest { PageSize = 1000 })).Claims
            .Join(fixture.Claims, c => c.Text, f => f.Text, (c, f) => (c.Name, f.Id)).ToDictionary(p => p.Name, p => p.Id);
        await WaitUntilIndexedAsync(server, claimKeys.Count);

        var watch = Stopwatch.StartNew();
        var service = new List<CaseOutcome>();
        foreach (var c in cases)
        {
            var response = await claims.VerifyAttributionAsync(new VerifyAttributionRequest
            {
                Text = c.Text,
                Speaker = c.Speaker,
                SaidOn = c.SaidOn is { } d ? new Google.Type.Date { Year = d.Year, Month = d.Month, Day = d.Day } : null,
            });
            var named = response.NamedParties.FirstOrDefault();
            service.Add(new CaseOutcome(c, EvaluationRun.UpperSnake(response.Verdict.ToString()),
                response.Reason == FactCheck.V1.ReasonCode.Unspecified ? null : EvaluationRun.UpperSnake(response.Reason.ToString()),
                claimKeys.GetValueOrDefault(response.EvidenceClaim),
                named is null ? null : named.Speaker.Length > 0 ? speakerKeys.GetValueOrDefault(named.Speaker, named.Speaker) : named.AttributedTo));
        }
        var serviceTime = watch.Elapsed;

        using var embedder = new MiniLmEmbedder();
        var run = await EvaluationRun.CreateAsync(await InMemoryVerifier.CreateAsync(fixture, embedder, CancellationToken.None), cases, CancellationToken.None);
        var inProcess = run.Run(MatchThresholds.Default).ToDictionary(o => o.Case.Id);

        var sb = new StringBuilder();
        sb.Append(Start).Append('\n');
        sb.Append("## Verification quality through the service\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Produced by `FactCheck.Bench.dll evaluate-service --server URL` on {DateTime.UtcNow:yyyy-MM-dd}: the seed fixture imported with `factcheck import`, ");
        sb.Append(CultureInfo.InvariantCulture, $"every claim embedded by the server's background indexer, then the {cases.Count} cases of `fixtures/eval/verification.jsonl` sent one by one ");
        sb.Append(CultureInfo.InvariantCulture, $"to `VerifyAttribution` ({serviceTime.TotalMilliseconds / cases.Count:F1} ms a case, embedding the query included), thresholds `MatchThresholds.Default`.\n");
        foreach (var split in new[] { "tune", "test", null })
        {
            var outcomes = service.Where(o => split is null || o.Case.Split == split).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"\n### Service, {(split is null ? "all cases" : split == "tune" ? "tune split" : "test split (held out)")}: {outcomes.Count} cases\n\n");
            sb.Append(EvaluateCommand.Targets(EvaluationScores.Of(outcomes))).Append('\n');
            if (split is not null) continue;
            sb.Append(EvaluationTables.PrecisionRecall(outcomes)).Append('\n');
            sb.Append(EvaluationTables.Confusion(outcomes));
        }
        var differences = service.Where(o => Describe(o) != Describe(inProcess[o.Case.Id])).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"\nThe service and the in-process harness (`evaluate`) agree on {cases.Count - differences.Count} of {cases.Count} cases (verdict, reason, evidence and named party)");
        sb.Append(differences.Count == 0 ? ".\n" : ". They differ on:\n\n");
        foreach (var o in differences)
            sb.Append(CultureInfo.InvariantCulture, $"- `{o.Case.Id}`: service {Describe(o)}, in process {Describe(inProcess[o.Case.Id])}, expected {o.Case.Expected.Verdict}\n");
        sb.Append(End).Append('\n');
        EvaluateCommand.WriteSection(output, sb.ToString(), Start, End);
        Console.WriteLine(sb);
        return 0;
    }

    private static string Describe(CaseOutcome o) => $"{o.Verdict}/{o.Reason}/{o.Evidence}/{o.Named}";

    private static async Task ImportAsync(string cli, string server, string apiKey, string seedPath)
    {
        if (!File.Exists(cli)) throw new UsageException($"the CLI is not built at {cli} (dotnet build src/FactCheck.Cli -c Release, or --cli PATH)");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "import", seedPath, "--server", server }) start.ArgumentList.Add(arg);
        start.Environment["FACTCHECK_API_KEY"] = apiKey;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"factcheck import failed ({process.ExitCode}): {await error}");
    }

    /// <summary>Until the server's <c>semantics</c> health entry says the index is built, holds every claim and nothing
    /// waits to be embedded (read over the gRPC endpoint, HTTP/2 with prior knowledge).</summary>
    private static async Task WaitUntilIndexedAsync(string server, int claims)
    {
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var semantics = (await http.GetFromJsonAsync<JsonElement>(server.TrimEnd('/') + "/healthz")).GetProperty("checks").GetProperty("semantics");
            if (!semantics.TryGetProperty("data", out var data) || !data.TryGetProperty("indexed", out var indexed))
                throw new InvalidOperationException("the server has no sentence model (Semantics:Embedder): nothing to evaluate by meaning");
            if (semantics.GetProperty("status").GetString() == "Healthy" && indexed.GetInt32() >= claims && data.GetProperty("backlog").GetInt64() == 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server indexed {indexed} of {claims} claims in 5 minutes");
            await Task.Delay(200);
        }
    }
}
