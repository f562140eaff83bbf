using System.Diagnostics;
using System.Globalization;
using FactCheck.Core.Claims;
using FactCheck.Search;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace FactCheck.Bench.Search;

/// <summary>
/// <c>search-profile</c>: where a Lucene search's time goes, in process, on a built index (a COPY of one: the index is
/// opened for writing). Queries are made as the <c>search</c> scenario makes them (2-3 consecutive words of sampled
/// stored claims), folded as the service folds them. Variants run in alternating rounds so a shared machine's load
/// falls on all of them alike: the service's <see cref="ClaimSearchIndex.Search"/>, and raw queries that split its
/// cost (the conjunction alone, with the sloppy phrase clause, stored-field loading, the speaker filter).
/// </summary>
public static class SearchProfileCommand
{
    private const int PhraseSlop = 2;
    private const int Page = 10;

    public static Task<int> RunAsync(Args args)
    {
        var database = args.Required("db");
        var indexPath = args.Required("index");
        var baselinePath = args.Required("baseline");
        var build = args.Flag("build");
        var count = args.Int("queries", 2000);
        var rounds = args.Int("rounds", 3);
        var seed = args.Int("seed", 15);
        var only = args.String("variants", null)?.Split(',');
        var labelled = args.String("labelled", null);
        args.EnsureAllUsed();

        var rng = new Random(seed);
        var queries = SampleQueries(database, count, rng);
        Console.Error.WriteLine($"[search-profile] {queries.Count} queries, e.g. {string.Join(" | ", queries.Take(5).Select(q => string.Join(' ', q.Words)))}");

        using var index = new ClaimSearchIndex(indexPath, NullLogger<ClaimSearchIndex>.Instance);
        if (build) Build(index, database);
        using var reader = DirectoryReader.Open(FSDirectory.Open(baselinePath));
        var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        // The same baseline index read through SimpleFSDirectory (FSDirectory.Open picks MMapDirectory on 64-bit Linux).
        using var simpleReader = DirectoryReader.Open(new SimpleFSDirectory(new DirectoryInfo(baselinePath)));
        var simpleSearcher = new IndexSearcher(simpleReader) { Similarity = new BM25Similarity() };
        Console.Error.WriteLine($"[search-profile] {reader.NumDocs:N0} documents, {reader.Leaves.Count} segments");

        var variants = new List<(string Name, Action<ProfileQuery> Run)>
        {
            ("service: ClaimSearchIndex.Search", q => index.Search(q.Words, null, 0, Page, 2000)),
            ("service, speaker filter", q => index.Search(q.Words, q.SpeakerId, 0, Page, 2000)),
            ("raw: main@cefb87d's query (words + optional pairs) and ids", q => LoadIds(simpleSearcher, simpleSearcher.Search(WithPairs(q.Words), null, Page))),
            ("raw: main@48e252f's query and ids, FSDirectory.Open (MMapDirectory)", q => LoadIds(searcher, searcher.Search(Before(q.Words), null, Page))),
            ("raw: main@48e252f's query and ids, SimpleFSDirectory", q => LoadIds(simpleSearcher, simpleSearcher.Search(Before(q.Words), null, Page))),
            ("raw: conjunction + sloppy phrase, no ids", q => searcher.Search(Before(q.Words), null, Page)),
            ("raw: conjunction alone", q => searcher.Search(Conjunction(q.Words), null, Page)),
            ("raw: conjunction + exact phrase (slop 0)", q => searcher.Search(Before(q.Words, slop: 0), null, Page)),
            ("raw: conj + sloppy phrase, QueryWrapperFilter speaker", q => searcher.Search(Before(q.Words), SpeakerFilter(q.SpeakerId), Page)),
            ("raw: conj + sloppy phrase, speaker as MUST clause", q => searcher.Search(WithSpeaker(Before(q.Words), q.SpeakerId), null, Page)),
        };
        if (labelled is not null)
        {
            Relevance(labelled, database, searcher, index);
            return Task.FromResult(0);
        }
        if (only is not null) variants = variants.Where(v => only.Any(o => v.Name.Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();

        // Agreement of the service's first page with main@cefb87d's query (same words; the baseline a copy of the index).
        // (Only meaningful when both indexes hold the same claims.)
        var sameTop = queries.Count(q =>
        {
            var service = index.Search(q.Words, null, 0, Page, 2000).Select(hit => hit.Id);
            var before = LoadIds(searcher, searcher.Search(WithPairs(q.Words), null, Page));
            return service.SequenceEqual(before);
        });
        Console.Error.WriteLine($"[search-profile] service's first page equals main@cefb87d's query for {sameTop}/{queries.Count} queries");

        Kinds(simpleSearcher, queries);

        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var walls = variants.ToDictionary(v => v.Name, _ => new List<double>());
        foreach (var (_, run) in variants) foreach (var q in queries.Take(200)) run(q); // warm-up (JIT, page cache)
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < variants.Count; i++)
            {
                var (name, run) = variants[(i + round) % variants.Count];
                var wall = Stopwatch.StartNew();
                foreach (var q in queries)
                {
                    var watch = Stopwatch.StartNew();
                    run(q);
                    times[name].Add(watch.Elapsed.TotalMilliseconds);
                }
                walls[name].Add(queries.Count / wall.Elapsed.TotalSeconds);
                Console.Error.WriteLine($"[search-profile] round {round + 1}, {name}: {walls[name][^1]:F0}/s");
            }
        var twoThreads = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < variants.Count; i++)
            {
                var (name, run) = variants[(i + round) % variants.Count];
                var wall = Stopwatch.StartNew();
                var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
                {
                    for (var k = t; k < queries.Count; k += 2) run(queries[k]);
                })).ToList();
                threads.ForEach(thread => thread.Start());
                threads.ForEach(thread => thread.Join());
                twoThreads[name].Add(queries.Count / wall.Elapsed.TotalSeconds);
            }

        Console.WriteLine($"load average before/after: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| Variant | p50 ms | p90 ms | p99 ms | max ms | searches/s, 1 thread (median of rounds) | searches/s, 2 threads |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, _) in variants)
        {
            var sorted = times[name].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {P(sorted, 0.5):F2} | {P(sorted, 0.9):F2} | {P(sorted, 0.99):F2} | {sorted[^1]:F1} | {Median(walls[name]):N0} | {Median(twoThreads[name]):N0} |"));
        }
        return Task.FromResult(0);
    }

    /// <summary>Indexes every live claim of the database (read-only) as the service indexes it, without going
    /// through the audit log: the index to measure, not one a server would resume from.</summary>
    private static void Build(ClaimSearchIndex index, string database)
    {
        var watch = Stopwatch.StartNew();
        index.Clear();
        using var connection = BenchStore.OpenReadOnly(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, speaker_id, text FROM claims WHERE delete_time IS NULL ORDER BY seq";
        using var row = command.ExecuteReader();
        var batch = new List<Claim>();
        var total = 0;
        while (true)
        {
            var more = row.Read();
            if (more)
                batch.Add(new Claim { Id = row.GetString(0), SpeakerId = row.IsDBNull(1) ? null : row.GetString(1), Text = row.GetString(2), LanguageCode = "en" });
            if (batch.Count == 10_000 || (!more && batch.Count > 0))
            {
                total += batch.Count;
                index.Apply(batch.Select(claim => claim.Id).ToList(), batch, new IndexPosition(total, "bench-build"));
                batch.Clear();
            }
            if (!more) break;
        }
        index.Refresh();
        index.Commit();
        Console.Error.WriteLine($"[search-profile] built the index of {total:N0} claims in {watch.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>nDCG@10 and phrase precision (bench/search/README.md) of main's query on the baseline index and of the
    /// service's search on the index, over the labelled queries. The graded claims are those containing every term:
    /// the baseline's full conjunction, their texts read from the database.</summary>
    private static void Relevance(string queriesFile, string database, IndexSearcher baseline, ClaimSearchIndex index)
    {
        using var connection = BenchStore.OpenReadOnly(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT text FROM claims WHERE id = @id";
        var id = command.Parameters.Add("@id", SqliteType.Text);
        double[] ndcg = [0, 0, 0], phrases = [0, 0, 0];
        var queries = File.ReadLines(queriesFile).Where(line => line.Trim().Length > 0)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("query").GetString()!).ToList();
        foreach (var text in queries)
        {
            var words = ClaimRegistry.SearchTerms(text).SelectMany(SearchWords.Split).Distinct(StringComparer.Ordinal).ToList();
            var matching = baseline.Search(Conjunction(words), null, Math.Max(1, baseline.IndexReader.MaxDoc)).ScoreDocs;
            var corpus = matching.Select(hit =>
            {
                id.Value = baseline.Doc(hit.Doc, IdOnly).Get("id");
                return new CorpusClaim((string)id.Value, (string)command.ExecuteScalar()!);
            }).ToList();
            var judged = new JudgedQuery(text, corpus);
            List<string>[] ranked =
            [
                LoadIds(baseline, baseline.Search(Before(words), null, Page)),
                LoadIds(baseline, baseline.Search(WithPairs(words), null, Page)),
                index.Search(words, null, 0, Page, 2000).Select(hit => hit.Id).ToList(),
            ];
            for (var e = 0; e < ranked.Length; e++)
            {
                ndcg[e] += judged.Ndcg(ranked[e]);
                phrases[e] += judged.PhrasePrecision(ranked[e]);
            }
            Console.Error.WriteLine($"[search-profile] {text}: {corpus.Count:N0} matches, nDCG main@48e252f {judged.Ndcg(ranked[0]):F3}, main@cefb87d {judged.Ndcg(ranked[1]):F3}, service {judged.Ndcg(ranked[2]):F3}");
        }
        Console.WriteLine("| Engine | nDCG@10 | phrase matches in the first 10 (of the possible) |");
        Console.WriteLine("| --- | ---: | ---: |");
        string[] names =
        [
            "main@48e252f: conjunction + sloppy phrase (baseline index)",
            "main@cefb87d: conjunction + optional pairs (baseline index, needs the pairs schema)",
            "this branch: ClaimSearchIndex.Search (pairs index)",
        ];
        for (var e = 0; e < names.Length; e++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {names[e]} | {ndcg[e] / queries.Count:F3} | {phrases[e] / queries.Count:F3} |"));
    }

    /// <summary>Which queries a "pairs first" tier (every word and every neighbouring pair required) could answer alone,
    /// holding a page of claims, and what main@cefb87d's query and that tier's query alone spend on each kind: the share
    /// of the time such a tier can save (tried on branch i15-search3, bench/RESULTS.md).</summary>
    private static void Kinds(IndexSearcher searcher, List<ProfileQuery> queries)
    {
        var kinds = new Dictionary<string, (int Count, double Before, double Tier, long Hits)>();
        foreach (var q in queries)
        {
            var together = WithPairs(q.Words);
            foreach (var clause in together.Clauses) clause.Occur = Occur.MUST;
            var watch = Stopwatch.StartNew();
            LoadIds(searcher, searcher.Search(WithPairs(q.Words), null, Page));
            var before = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var tier = searcher.Search(together, null, Page);
            LoadIds(searcher, tier);
            var kind = q.Words.Count == 1 ? "one word" : tier.TotalHits >= Page ? "pairs tier fills the page" : "pairs tier short of a page";
            var (count, beforeMs, tierMs, hits) = kinds.GetValueOrDefault(kind);
            kinds[kind] = (count + 1, beforeMs + before, tierMs + watch.Elapsed.TotalMilliseconds, hits + tier.TotalHits);
        }
        foreach (var (kind, (count, before, tier, hits)) in kinds)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kind: {kind}: {count} queries, {hits / count:N0} claims in the tier on average; ms each: main@cefb87d's query {before / count:F2}, the pairs tier's query alone {tier / count:F2}"));
    }

    private static double P(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static BooleanQuery Conjunction(IReadOnlyList<string> words)
    {
        var query = new BooleanQuery();
        foreach (var word in words) query.Add(new TermQuery(new Term("text", word)), Occur.MUST);
        return query;
    }

    /// <summary>The query main@48e252f ran: every word required, plus a sloppy phrase of them all, optional.</summary>
    private static BooleanQuery Before(IReadOnlyList<string> words, int slop = PhraseSlop)
    {
        var query = Conjunction(words);
        if (words.Count > 1)
        {
            var phrase = new PhraseQuery { Slop = slop };
            foreach (var word in words) phrase.Add(new Term("text", word));
            query.Add(phrase, Occur.SHOULD);
        }
        return query;
    }

    /// <summary>The query main@cefb87d ran: every word required, plus each neighbouring pair's term, optional.</summary>
    private static BooleanQuery WithPairs(IReadOnlyList<string> words)
    {
        var query = Conjunction(words);
        for (var i = 1; i < words.Count; i++) query.Add(new TermQuery(new Term("pairs", words[i - 1] + " " + words[i])), Occur.SHOULD);
        return query;
    }

    private static Query WithSpeaker(BooleanQuery query, string speakerId)
    {
        query.Add(new ConstantScoreQuery(new TermQuery(new Term("speaker", speakerId))) { Boost = 0 }, Occur.MUST);
        return query;
    }

    private static Filter SpeakerFilter(string speakerId) => new QueryWrapperFilter(new TermQuery(new Term("speaker", speakerId)));

    private static readonly ISet<string> IdOnly = new HashSet<string> { "id" };

    private static List<string> LoadIds(IndexSearcher searcher, TopDocs top) =>
        top.ScoreDocs.Select(hit => searcher.Doc(hit.Doc, IdOnly).Get("id")).ToList();

    /// <summary>Claims sampled by random sequence number; a query is 2-3 consecutive words of one, as the bench's
    /// search scenario makes it, then the service's search terms of it, folded as the index folds them.</summary>
    private static List<ProfileQuery> SampleQueries(string database, int count, Random rng)
    {
        using var connection = BenchStore.OpenReadOnly(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(seq) FROM claims";
        var last = (long)command.ExecuteScalar()!;
        command.CommandText = "SELECT text, coalesce(speaker_id, '') FROM claims WHERE seq = @seq AND delete_time IS NULL";
        var seq = command.Parameters.Add("@seq", SqliteType.Integer);
        var queries = new List<ProfileQuery>();
        while (queries.Count < count)
        {
            seq.Value = rng.NextInt64(1, last + 1);
            using var row = command.ExecuteReader();
            if (!row.Read()) continue;
            var text = Scenario.Search.QueryFrom(row.GetString(0), rng);
            var folded = ClaimRegistry.SearchTerms(text).SelectMany(SearchWords.Split).Distinct(StringComparer.Ordinal).ToList();
            if (folded.Count > 0) queries.Add(new ProfileQuery(folded, row.GetString(1)));
        }
        return queries;
    }

    private sealed record ProfileQuery(IReadOnlyList<string> Words, string SpeakerId);
}
