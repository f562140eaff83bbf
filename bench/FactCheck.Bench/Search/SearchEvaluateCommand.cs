using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FactCheck.Core.Claims;
using FactCheck.Core.Storage;
using FactCheck.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FactCheck.Bench.Search;

/// <summary>
/// <c>search-eval</c>: the labelled queries of bench/search/queries.jsonl against a database that bench/run.sh loaded,
/// through the store's own <see cref="IClaimSearch"/> (FTS5) and through <see cref="IndexedClaimSearch"/> (the Lucene.Net
/// index, built from the database's audit log first), both in process and wired as the server wires them, for
/// relevance (nDCG@10, P@10; see bench/search/README.md) and for the time of one search (one thread; then two threads, one per core, for throughput). Writes its section of RESULTS.md.
/// </summary>
public static class SearchEvaluateCommand
{
    private const string Start = "<!-- search-evaluation:start -->";
    private const string End = "<!-- search-evaluation:end -->";

    public static async Task<int> RunAsync(Args args)
    {
        var database = args.String("db", null) ?? throw new UsageException("--db FILE (a database bench/run.sh loaded) is required");
        var root = args.String("repo", Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../..")))!;
        var queriesFile = args.String("queries", Path.Combine(root, "bench", "search", "queries.jsonl"))!;
        var output = args.String("out", null);
        var rounds = args.Int("rounds", 20);
        args.EnsureAllUsed();

        var queries = File.ReadLines(queriesFile).Where(line => line.Trim().Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("query").GetString()!).ToList();
        var corpus = LoadCorpus(database);
        Console.Error.WriteLine($"[search-eval] {corpus.Count:N0} live claims, {queries.Count} queries");
        var judged = queries.Select(query => new JudgedQuery(query, corpus)).ToList();

        var rows = new List<string>();
        await using (var store = await BenchStore.OpenSqliteAsync(database, indexPath: null))
        {
            var search = store.GetRequiredService<IClaimSearch>();
            rows.Add(await MeasureAsync("FTS5 bm25 over the newest 2,000 matches (before)", judged, rounds, Searcher(search)));
        }
        var index = Path.Combine(Path.GetTempPath(), "factcheck-search-eval-" + Guid.NewGuid().ToString("N"));
        try
        {
            var watch = Stopwatch.StartNew();
            await using var store = await BenchStore.OpenSqliteAsync(database, index);
            var indexed = store.GetRequiredService<IndexedClaimSearch>();
            await indexed.Ready;
            Console.Error.WriteLine($"[search-eval] Lucene index built from the audit log in {watch.Elapsed.TotalSeconds:F1} s");
            rows.Add(await MeasureAsync("Lucene.Net 4.8 BM25 over all matches (IndexedClaimSearch)", judged, rounds, Searcher(indexed)));
            rows.Add($"| (Lucene index built from the store's audit log in {watch.Elapsed.TotalSeconds:F0} s) | | | | | |");
        }
        finally
        {
            if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
        }

        var sb = new StringBuilder();
        sb.Append(Start).Append('\n');
        sb.Append("## Search relevance and speed (labelled queries)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Produced by `FactCheck.Bench search-eval --db <bench.db>` on {DateTime.UtcNow:yyyy-MM-dd} over {corpus.Count:N0} live claims ");
        sb.Append(CultureInfo.InvariantCulture, $"(the database `bench/run.sh` loaded), {queries.Count} queries of `bench/search/queries.jsonl` (labels: `bench/search/README.md`), ");
        sb.Append(CultureInfo.InvariantCulture, $"in process (no gRPC), {rounds} rounds of every query. Two threads = one per core of this machine.\n\n");
        sb.Append("| Engine | nDCG@10 | phrase matches in the first 10 (of the possible) | p50 ms, 1 thread | p99 ms, 1 thread | searches/s, 2 threads |\n");
        sb.Append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var row in rows) sb.Append(row).Append('\n');
        sb.Append('\n').Append(End).Append('\n');
        Console.WriteLine(sb.ToString());
        if (output is not null) Semantics.EvaluateCommand.WriteSection(output, sb.ToString(), Start, End);
        return 0;
    }

    private static async Task<string> MeasureAsync(string engine, IReadOnlyList<JudgedQuery> queries, int rounds, Func<JudgedQuery, Task<IReadOnlyList<string>>> run)
    {
        double ndcg = 0, precision = 0;
        foreach (var query in queries)
        {
            var ids = await run(query); // also the warm-up
            ndcg += query.Ndcg(ids);
            precision += query.PhrasePrecision(ids);
        }
        var times = new List<double>();
        for (var r = 0; r < rounds; r++)
            foreach (var query in queries)
            {
                var watch = Stopwatch.StartNew();
                await run(query);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        times.Sort();
        var total = rounds * queries.Count;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(t => Task.Run(async () =>
        {
            for (var i = t; i < total; i += 2) await run(queries[i % queries.Count]);
        })));
        var perSecond = total / wall.Elapsed.TotalSeconds;
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {engine} | {ndcg / queries.Count:F3} | {precision / queries.Count:F3} | {Percentile(times, 0.5):F2} | {Percentile(times, 0.99):F2} | {perSecond:N0} |");
        Console.Error.WriteLine(row);
        return row;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static List<CorpusClaim> LoadCorpus(string database)
    {
        using var connection = BenchStore.OpenReadOnly(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, text FROM claims WHERE delete_time IS NULL ORDER BY seq";
        using var reader = command.ExecuteReader();
        var claims = new List<CorpusClaim>();
        while (reader.Read()) claims.Add(new CorpusClaim(reader.GetString(0), reader.GetString(1)));
        return claims;
    }

    private static Func<JudgedQuery, Task<IReadOnlyList<string>>> Searcher(IClaimSearch search) =>
        async query => (await search.SearchClaimsAsync(query.Terms, null, 0, 10, CancellationToken.None)).Select(r => r.Claim.Id).ToList();
}

public sealed record CorpusClaim(string Id, string Text)
{
    public HashSet<string> Words { get; } = [.. SearchWords.Split(Text)];

    /// <summary>The words in order, one space between, one around: phrases are found with Contains.</summary>
    public string Spaced { get; } = " " + string.Join(' ', SearchWords.Split(Text)) + " ";
}

/// <summary>A query, its search terms, and every claim's grade for it (bench/search/README.md).</summary>
public sealed class JudgedQuery
{
    private readonly Dictionary<string, int> grades = new(StringComparer.Ordinal);
    private readonly double idealDcg;

    public string Query { get; }
    /// <summary>As the service makes them (ClaimRegistry.SearchTerms), folded as the index folds words.</summary>
    public IReadOnlyList<string> Terms { get; }

    public JudgedQuery(string query, IReadOnlyList<CorpusClaim> corpus)
    {
        Query = query;
        var words = SearchWords.Split(query);
        Terms = ClaimRegistry.SearchTerms(query).Select(term => string.Join(' ', SearchWords.Split(term))).ToList();
        var phrase = " " + string.Join(' ', words) + " ";
        foreach (var claim in corpus)
        {
            if (!Terms.All(claim.Words.Contains)) continue;
            grades[claim.Id] = claim.Spaced.Contains(phrase, StringComparison.Ordinal) ? 2 : 1;
        }
        idealDcg = Dcg(grades.Values.OrderByDescending(g => g).Take(10).ToList());
    }

    public int Matches => grades.Count;

    public double Ndcg(IReadOnlyList<string> ids) =>
        idealDcg == 0 ? (ids.Count == 0 ? 1 : 0) : Dcg(ids.Take(10).Select(id => grades.GetValueOrDefault(id)).ToList()) / idealDcg;

    /// <summary>Claims graded 2 among the first 10, over as many as there are (at most 10): 1 is the best possible.</summary>
    public double PhrasePrecision(IReadOnlyList<string> ids)
    {
        var phrases = Math.Min(10, grades.Values.Count(grade => grade == 2));
        return phrases == 0 ? 1 : ids.Take(10).Count(id => grades.GetValueOrDefault(id) == 2) / (double)phrases;
    }

    private static double Dcg(IReadOnlyList<int> gains) =>
        gains.Select((gain, rank) => (Math.Pow(2, gain) - 1) / Math.Log2(rank + 2)).Sum();
}

/// <summary>Words as FTS5's unicode61 tokenizer with remove_diacritics cuts them, lower-cased and folded.</summary>
public static class SearchWords
{
    public static List<string> Split(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) folded.Append(char.ToLowerInvariant(c));
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var letter = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (letter && start < 0) start = i;
            else if (!letter && start >= 0)
            {
                words.Add(folded.ToString(start, i - start));
                start = -1;
            }
        }
        return words;
    }
}
