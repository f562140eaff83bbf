using System.Globalization;
using FactCheck.Core.Claims;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace FactCheck.Search;

/// <summary>
/// The Lucene.Net index of live claims: id, speaker id, the words of the text and its word pairs, one document per
/// claim. It records in each commit the audit-log position it reflects (sequence and event id), so a restart resumes
/// from there; an index from another database (the event at that position differs), or written with another document
/// schema, is rebuilt. Scored by BM25. Lucene 4.8 has no block-max WAND: a search scores every claim containing all its
/// terms, led by the rarest term's postings.
/// </summary>
public sealed class ClaimSearchIndex : IDisposable
{
    private const string PositionKey = "audit_sequence";
    private const string EventIdKey = "audit_event_id";
    private const string SchemaKey = "schema";

    /// <summary>The fields <see cref="ToDocument"/> writes and how: an index committed with another (or none, before the
    /// word pairs) is rebuilt from the store, since its documents lack what searches now read.</summary>
    private const string Schema = "2";

    private readonly LuceneDirectory directory;
    private readonly string? privateDirectory;
    private readonly IndexWriter writer;
    private readonly SearcherManager searchers;

    /// <summary>Opens (or creates) the index at <paramref name="path"/>. When another process holds it (two servers
    /// on one SQLite file), this one keeps a private index in a temporary directory, rebuilt from the store; an index
    /// that cannot be read is rebuilt from the store too.</summary>
    public ClaimSearchIndex(string path, ILogger<ClaimSearchIndex> logger)
    {
        System.IO.Directory.CreateDirectory(path);
        try
        {
            (directory, writer) = Open(path);
        }
        catch (LockObtainFailedException)
        {
            privateDirectory = Path.Combine(Path.GetTempPath(), "factcheck-search-" + Guid.NewGuid().ToString("N"));
            logger.LogWarning("Search index {Path} is in use by another process; using a private index in {Private}", path, privateDirectory);
            (directory, writer) = Open(privateDirectory);
        }
        catch (IOException unreadable)
        {
            // Segments missing or damaged (a crash mid-write, files removed by hand): the index is only a copy of
            // what the store holds, so it starts afresh and is rebuilt from the log rather than keep the server down.
            logger.LogWarning(unreadable, "Search index {Path} cannot be read; it is rebuilt from the store", path);
            System.IO.Directory.Delete(path, recursive: true);
            System.IO.Directory.CreateDirectory(path);
            (directory, writer) = Open(path);
        }
        var data = writer.CommitData;
        if (data.Count > 0 && (!data.TryGetValue(SchemaKey, out var schema) || schema != Schema))
        {
            logger.LogWarning("Search index {Path} has document schema {Schema}, not {Current}; it is rebuilt from the store",
                path, schema ?? "1", Schema);
            writer.DeleteAll();
        }
        else if (data.TryGetValue(PositionKey, out var position) && data.TryGetValue(EventIdKey, out var eventId))
            written = Position = new IndexPosition(long.Parse(position, CultureInfo.InvariantCulture), eventId);
        searchers = new SearcherManager(writer, applyAllDeletes: true, new BM25SearcherFactory());
    }

    /// <summary>The last audit event that searches of this index reflect (sequence 0: none).</summary>
    public IndexPosition Position { get; private set; } = IndexPosition.Start;

    /// <summary>The last audit event written to the index, visible to searches from the next <see cref="Refresh"/>.</summary>
    private IndexPosition written = IndexPosition.Start;

    private static (LuceneDirectory, IndexWriter) Open(string path)
    {
        // Not FSDirectory.Open: on 64-bit Linux it picks MMapDirectory, whose reads contend under parallel searches in
        // Lucene.Net 4.8 beta (apache/lucenenet#1151, 16x slower than SimpleFSDirectory there; bench/RESULTS.md).
        var directory = new SimpleFSDirectory(new DirectoryInfo(path));
        try
        {
            var config = new IndexWriterConfig(ClaimTextAnalyzer.Version, ClaimTextAnalyzer.Instance)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                Similarity = new BM25Similarity(),
                RAMBufferSizeMB = 32,
            };
            return (directory, new IndexWriter(directory, config));
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Indexes the current state of the claims <paramref name="changed"/> names: those in
    /// <paramref name="live"/> (re)indexed, the others (deleted) removed; the index then holds the log up to
    /// <paramref name="position"/>.</summary>
    public void Apply(IReadOnlyCollection<string> changed, IReadOnlyList<Claim> live, IndexPosition position)
    {
        var found = live.ToDictionary(claim => claim.Id, StringComparer.Ordinal);
        foreach (var id in changed)
        {
            var key = new Term("id", id);
            if (found.TryGetValue(id, out var claim)) writer.UpdateDocument(key, ToDocument(claim));
            else writer.DeleteDocuments(key);
        }
        written = position;
    }

    /// <summary>Drops everything: the index is rebuilt from the start of the log.</summary>
    public void Clear()
    {
        writer.DeleteAll();
        written = Position = IndexPosition.Start;
    }

    /// <summary>Makes what <see cref="Apply"/> wrote visible to searches (a near-real-time reopen, no fsync), and only
    /// then moves <see cref="Position"/>: a search that finds the log no further than it sees those writes.</summary>
    public void Refresh()
    {
        searchers.MaybeRefreshBlocking();
        Position = written;
    }

    /// <summary>Writes the index and its position to disk, so a restart resumes there.</summary>
    public void Commit()
    {
        writer.SetCommitData(new Dictionary<string, string>
        {
            [PositionKey] = Position.Sequence.ToString(CultureInfo.InvariantCulture),
            [EventIdKey] = Position.EventId,
            [SchemaKey] = Schema,
        });
        writer.Commit();
    }

    /// <summary>
    /// Ids and BM25 scores (plus the pairs' scores when the words stand together) of the claims containing every one of
    /// <paramref name="words"/> (and by <paramref name="speakerId"/> when given), best first, ties in index order; at most
    /// <paramref name="window"/> are ranked, of which those from <paramref name="offset"/> on are returned, at most
    /// <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<(string Id, double Score)> Search(IReadOnlyList<string> words, string? speakerId, int offset, int limit, int window)
    {
        var top = Math.Min(window, offset + limit);
        if (words.Count == 0 || offset >= top) return [];
        var query = new BooleanQuery();
        foreach (var word in words) query.Add(new TermQuery(new Term("text", word)), Occur.MUST);
        // Claims with the words together, in the query's order, first ("the ceasefire proposal" before a claim naming a
        // ceasefire and, elsewhere, a proposal): each neighbouring pair is one term of the pairs field, whose postings
        // are short, so this costs a term look-up per matching claim, where a sloppy phrase read every matching claim's
        // positions (half the time of a search with common words at 1M, bench/RESULTS.md).
        for (var i = 1; i < words.Count; i++)
            query.Add(new TermQuery(new Term(ClaimTextAnalyzer.PairsField, ClaimTextAnalyzer.Pair(words[i - 1], words[i]))), Occur.SHOULD);
        Filter? speaker = speakerId is null ? null : new QueryWrapperFilter(new TermQuery(new Term("speaker", speakerId)));
        var searcher = searchers.Acquire();
        try
        {
            var hits = searcher.Search(query, speaker, top).ScoreDocs;
            return hits.Skip(offset).Select(hit => (searcher.Doc(hit.Doc, IdOnly).Get("id"), (double)hit.Score)).ToList();
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    /// <summary>The word pairs as the StringFields that held one pair each did (before the analyzer cut them): indexed
    /// for the documents that hold a pair, no frequencies or positions, no norms. So a pair's BM25 score is the same for
    /// every claim holding it, whatever the claim's length or how often it repeats the pair.</summary>
    private static readonly FieldType PairsType = new FieldType
    {
        IsIndexed = true,
        IsTokenized = true,
        IsStored = false,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    }.Freeze();

    private static readonly ISet<string> IdOnly = new HashSet<string> { "id" };

    /// <summary>A claim's document: the text is analyzed twice by the writer, once per field (ClaimTextAnalyzer).</summary>
    internal static Document ToDocument(Claim claim) =>
    [
        new StringField("id", claim.Id, Field.Store.YES),
        new StringField("speaker", claim.SpeakerId ?? "", Field.Store.NO),
        new TextField("text", claim.Text, Field.Store.NO),
        new Field(ClaimTextAnalyzer.PairsField, claim.Text, PairsType),
    ];

    public void Dispose()
    {
        searchers.Dispose();
        writer.Dispose();
        directory.Dispose();
        if (privateDirectory is not null) System.IO.Directory.Delete(privateDirectory, recursive: true);
    }

    private sealed class BM25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }
}

/// <summary>A position in the audit log: the sequence of the last event read, and that event's id.</summary>
public sealed record IndexPosition(long Sequence, string EventId)
{
    public static readonly IndexPosition Start = new(0, "");
}
