using System.Text.Json;
using FactCheck.Core.Claims;
using FactCheck.Core.Verification;
using FactCheck.Search;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace FactCheck.Storage.Tests;

/// <summary>
/// The search index's word pairs, cut by its analyzer (<see cref="ClaimTextAnalyzer"/>, field "pairs"), against the
/// pairs the index cut in its own code before (<see cref="ReferencePairs"/>, kept here only): the same terms for every
/// text, so the same index and the same scores, and an index of the older schema version stays valid.
/// </summary>
public sealed class ClaimPairsAnalysisTests
{
    /// <summary>What ClaimSearchIndex.Pairs did before the analyzer: the text field's words, function words dropped,
    /// each neighbouring pair once, joined by a space, in order of first appearance.</summary>
    private static List<string> ReferencePairs(string text)
    {
        var words = ClaimTextAnalyzer.Words(text).Where(word => !QuoteText.IsFunctionWord(word)).ToList();
        return Enumerable.Range(1, Math.Max(0, words.Count - 1))
            .Select(i => words[i - 1] + " " + words[i])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static readonly string[] EdgeCases =
    [
        "",
        "   ",
        "Ceasefire",
        "Ceasefire!",
        "the",
        "The and of it was",
        "of the ceasefire",
        "ceasefire of the",
        "the forces will defend the city",
        "He said the forces will, in the end, defend every village in the region.",
        "...!!! ,,, ??? — “” « » 100%",
        "talks--talks / talks: (talks) [talks]",
        "forces defend forces defend forces defend",
        "the the the the",
        "a a a b b b c c c",
        "No, no, NO and never: not without them.",
        "Don't we can't won't they'd shouldn't",
        "Le CAFÉ de la Paix: Türkiye, naïve façade, Ærøskøbing straße, Œuvre",
        "cafe\u0301 resume\u0301", // combining accents, not one letter with its accent
        "Москва заявила о прекращении огня на границе",
        "中华人民共和国 外交部 发言人",
        "وزير الخارجية الإيراني عباس عراقجي",
        "हिन्दी समाचार पत्र",
        "300 fighters crossed on 1 December 2024 at 04:30",
        "peace🙂talks 🙂 ceasefire 🙂🙂 truce",
        "tab\tseparated\nnew line\r\nwindows line",
        new string('x', 300) + " " + new string('y', 10), // longer than the tokenizer's 255-character limit
        "I you he she we they will would shall should",
        "in the city, of the people, by the people, for the people",
    ];

    /// <summary>The seed fixture's claim texts and quoted sentences, the verification set's texts, and the edge cases.</summary>
    private static List<string> Texts()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FactCheck.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("FactCheck.sln not found above " + AppContext.BaseDirectory);

        var texts = new List<string>();
        using (var seed = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "fixtures", "seed", "dawn-2024-12-03.json"))))
        {
            foreach (var claim in seed.RootElement.GetProperty("claims").EnumerateArray())
            {
                texts.Add(claim.GetProperty("text").GetString()!);
                if (claim.TryGetProperty("quoted_sentence", out var sentence) && sentence.ValueKind == JsonValueKind.String)
                    texts.Add(sentence.GetString()!);
            }
        }
        foreach (var line in File.ReadLines(Path.Combine(root.FullName, "fixtures", "eval", "verification.jsonl")))
        {
            if (line.Length == 0) continue;
            using var testCase = JsonDocument.Parse(line);
            texts.Add(testCase.RootElement.GetProperty("text").GetString()!);
        }
        Assert.True(texts.Count > 300, $"fixtures give {texts.Count} texts");
        return [.. texts.Distinct(StringComparer.Ordinal), .. EdgeCases];
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task The_pairs_field_gets_the_pairs_of_neighbouring_content_words_and_the_query_builds_the_same_terms() => Task.Run(() =>
    {
        Assert.Equal(["forces defend", "defend city"], ClaimTextAnalyzer.Tokens(ClaimTextAnalyzer.PairsField, "The forces will defend the city."));
        Assert.Equal(["forces defend", "defend city"], ReferencePairs("The forces will defend the city."));
        Assert.Equal("forces defend", ClaimTextAnalyzer.Pair("forces", "defend"));
        Assert.Empty(ClaimTextAnalyzer.Tokens(ClaimTextAnalyzer.PairsField, "Ceasefire"));
        Assert.Empty(ClaimTextAnalyzer.Tokens(ClaimTextAnalyzer.PairsField, "the ceasefire of the"));
        Assert.Empty(ClaimTextAnalyzer.Tokens(ClaimTextAnalyzer.PairsField, ""));
        // The text field is not paired, and keeps its function words.
        Assert.Equal(["the", "forces", "will", "defend", "the", "city"], ClaimTextAnalyzer.Tokens("text", "The forces will defend the city."));
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task For_every_text_the_analyzer_gives_the_pairs_the_index_cut_in_its_own_code_before() => Task.Run(() =>
    {
        var texts = Texts();
        var differences = new List<string>();
        var pairs = 0;
        foreach (var text in texts)
        {
            var expected = ReferencePairs(text);
            // A pair repeated in a text is one term of the document either way (the field keeps no frequencies).
            var actual = ClaimTextAnalyzer.Tokens(ClaimTextAnalyzer.PairsField, text).Distinct(StringComparer.Ordinal).ToList();
            pairs += expected.Count;
            if (!expected.SequenceEqual(actual))
                differences.Add($"\"{text}\":\n  before [{string.Join(" | ", expected)}]\n  now    [{string.Join(" | ", actual)}]");
        }
        Assert.True(pairs > 1000, $"only {pairs} pairs in {texts.Count} texts");
        Assert.True(differences.Count == 0, $"{differences.Count} of {texts.Count} texts differ:\n{string.Join("\n", differences.Take(10))}");
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task An_index_holds_the_same_pair_terms_for_the_same_claims_and_scores_searches_the_same() => Task.Run(() =>
    {
        var claims = Texts().Select((text, i) => new Claim { Id = $"claim-{i}", Text = text, LanguageCode = "en" }).ToList();
        using var before = Build(claims, claim =>
        {
            // ClaimSearchIndex.ToDocument before the analyzer cut the pairs.
            Document document =
            [
                new StringField("id", claim.Id, Field.Store.YES),
                new StringField("speaker", claim.SpeakerId ?? "", Field.Store.NO),
                new TextField("text", claim.Text, Field.Store.NO),
            ];
            foreach (var pair in ReferencePairs(claim.Text)) document.Add(new StringField(ClaimTextAnalyzer.PairsField, pair, Field.Store.NO));
            return document;
        });
        using var after = Build(claims, ClaimSearchIndex.ToDocument);

        var pairsBefore = MultiFields.GetMergedFieldInfos(before.IndexReader).FieldInfo(ClaimTextAnalyzer.PairsField);
        var pairsAfter = MultiFields.GetMergedFieldInfos(after.IndexReader).FieldInfo(ClaimTextAnalyzer.PairsField);
        Assert.Equal(pairsBefore.IndexOptions, pairsAfter.IndexOptions);
        Assert.Equal(pairsBefore.OmitsNorms, pairsAfter.OmitsNorms);
        Assert.Equal(pairsBefore.HasDocValues, pairsAfter.HasDocValues);

        var terms = Postings(before.IndexReader, ClaimTextAnalyzer.PairsField);
        Assert.True(terms.Count > 500, $"only {terms.Count} pair terms");
        Assert.Equal(terms, Postings(after.IndexReader, ClaimTextAnalyzer.PairsField));
        Assert.Equal(Postings(before.IndexReader, "text"), Postings(after.IndexReader, "text"));

        // Searches as ClaimSearchIndex.Search makes them (every word required, each neighbouring pair optional), from
        // the first content words of each claim, and each pair term alone: the same claims with the same scores.
        var queries = claims
            .Select(claim => ClaimTextAnalyzer.Words(claim.Text).Where(word => !QuoteText.IsFunctionWord(word)).Take(3).ToList())
            .Where(words => words.Count > 0)
            .Select(ServiceQuery)
            .Concat(terms.Keys.Select(term => (Query)new TermQuery(new Term(ClaimTextAnalyzer.PairsField, term))))
            .ToList();
        foreach (var query in queries)
        {
            var expected = Hits(before, query);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Hits(after, query));
        }
    });

    private static Query ServiceQuery(IReadOnlyList<string> words)
    {
        var query = new BooleanQuery();
        foreach (var word in words) query.Add(new TermQuery(new Term("text", word)), Occur.MUST);
        for (var i = 1; i < words.Count; i++)
            query.Add(new TermQuery(new Term(ClaimTextAnalyzer.PairsField, ClaimTextAnalyzer.Pair(words[i - 1], words[i]))), Occur.SHOULD);
        return query;
    }

    private static List<(string Id, float Score)> Hits(IndexSearcher searcher, Query query) =>
        [.. searcher.Search(query, 1000).ScoreDocs.Select(hit => (searcher.Doc(hit.Doc).Get("id"), hit.Score))];

    /// <summary>Each term of the field, with the ids of the documents holding it and the frequencies the index keeps.</summary>
    private static SortedDictionary<string, string> Postings(IndexReader reader, string field)
    {
        var postings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var termsEnum = MultiFields.GetTerms(reader, field).GetEnumerator();
        var live = MultiFields.GetLiveDocs(reader);
        while (termsEnum.MoveNext())
        {
            var docs = termsEnum.Docs(live, null);
            var held = new List<string>();
            while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS) held.Add($"{reader.Document(docs.DocID).Get("id")}x{docs.Freq}");
            postings[termsEnum.Term.Utf8ToString()] = $"{termsEnum.DocFreq}: {string.Join(",", held)}";
        }
        return postings;
    }

    private static OwnedSearcher Build(IEnumerable<Claim> claims, Func<Claim, Document> toDocument)
    {
        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(ClaimTextAnalyzer.Version, ClaimTextAnalyzer.Instance) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var claim in claims) writer.AddDocument(toDocument(claim));
            writer.Commit();
        }
        return new OwnedSearcher(directory) { Similarity = new BM25Similarity() };
    }

    /// <summary>A BM25 searcher of an in-memory index, closing both with it.</summary>
    private sealed class OwnedSearcher(RAMDirectory directory) : IndexSearcher(DirectoryReader.Open(directory)), IDisposable
    {
        public void Dispose()
        {
            IndexReader.Dispose();
            directory.Dispose();
        }
    }
}
