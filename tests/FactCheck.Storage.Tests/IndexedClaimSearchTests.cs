using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Speakers;
using FactCheck.Core.Validation;
using FactCheck.Search;
using FactCheck.Storage.Postgres;
using FactCheck.Storage.Sqlite;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.DependencyInjection;

namespace FactCheck.Storage.Tests;

/// <summary>
/// Claim search through the Lucene.Net index (<see cref="IndexedClaimSearch"/>) in front of each store, wired as the
/// server wires it: the IClaimSearch contract (every term required, speaker filter exact, deleted claims never
/// returned), read-your-write across instances, and the index's life over restarts. Every search here runs after the
/// index is ready, so it is the index, not the store's fallback, that answers.
/// </summary>
public abstract class IndexedClaimSearchTests : IAsyncLifetime
{
    protected static readonly CancellationToken Ct = CancellationToken.None;
    protected static readonly AuditContext TestAudit = new("tester", "test.write");
    private readonly List<TestStore> stores = [];

    protected TempDirectory Directory { get; } = new();

    /// <summary>Adds this test's store; every call reaches the same database.</summary>
    protected abstract Task AddStoreAsync(IServiceCollection services);

    /// <summary>A server instance's storage: the store, and the index at <paramref name="indexName"/>, caught up.</summary>
    protected async Task<TestStore> StartAsync(string indexName = "index")
    {
        var configure = new ServiceCollection();
        await AddStoreAsync(configure);
        var store = await TestStore.StartAsync(TimeProvider.System, services =>
        {
            foreach (var descriptor in configure) services.Add(descriptor);
            services.AddIndexedClaimSearch(Directory.File(indexName));
        });
        stores.Add(store);
        await Indexed(store).Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return store;
    }

    /// <summary>Stops an instance as a server shuts down (its index commits its position).</summary>
    protected async Task StopAsync(TestStore store)
    {
        stores.Remove(store);
        await store.DisposeAsync();
    }

    private static IndexedClaimSearch Indexed(TestStore store) => Assert.IsType<IndexedClaimSearch>(store.Search);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in stores) await store.DisposeAsync();
        Directory.Dispose();
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_write_is_searchable_as_soon_as_it_is_acknowledged_and_a_deleted_claim_is_never_found()
    {
        var store = await StartAsync();

        var created = await store.Claims.CreateClaimAsync(NewClaim("Harbour tolls rise again."), null, TestAudit, Ct);
        Assert.Equal([created.Id], await SearchAsync(store, "harbour", "tolls"));

        var updated = await store.Claims.UpdateClaimAsync(created with { Text = "Port fees rise again." }, created.Version, TestAudit, Ct);
        Assert.Empty(await SearchAsync(store, "harbour"));
        Assert.Equal([created.Id], await SearchAsync(store, "port", "fees"));

        await store.Claims.DeleteClaimAsync(updated.Id, updated.Version, DateTimeOffset.UtcNow, TestAudit, Ct);
        Assert.Empty(await SearchAsync(store, "port"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Another_instance_finds_a_claim_as_soon_as_the_first_acknowledged_it()
    {
        var first = await StartAsync("first");
        var second = await StartAsync("second");

        var created = await first.Claims.CreateClaimAsync(NewClaim("Grain corridor reopened."), null, TestAudit, Ct);

        Assert.Equal([created.Id], await SearchAsync(second, "grain", "corridor"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Every_term_is_required_as_a_word_folded_like_the_text_and_the_speaker_filter_is_exact()
    {
        var store = await StartAsync();
        var a = await store.Speakers.CreateSpeakerAsync(NewSpeaker("Speaker A"), null, TestAudit, Ct);
        var b = await store.Speakers.CreateSpeakerAsync(NewSpeaker("Speaker B"), null, TestAudit, Ct);
        var fromA = await store.Claims.CreateClaimAsync(NewClaim("Le CAFÉ de la Paix: ceasefire talks failed.", a.Id), null, TestAudit, Ct);
        var fromB = await store.Claims.CreateClaimAsync(NewClaim("Ceasefire talks succeeded.", b.Id), null, TestAudit, Ct);
        await store.Claims.CreateClaimAsync(NewClaim("Talks on tax cuts now."), null, TestAudit, Ct);

        Assert.Equal([fromA.Id], await SearchAsync(store, "cafe", "ceasefire"));
        Assert.Equal([fromA.Id], Ids(await store.Search.SearchClaimsAsync(["ceasefire"], a.Id, 0, 10, Ct)));
        Assert.Equal([fromB.Id], Ids(await store.Search.SearchClaimsAsync(["talks"], b.Id, 0, 10, Ct)));
        Assert.Single(await SearchAsync(store, "\"tax", "cuts*"));
        Assert.Empty(await SearchAsync(store, "tax", "NOT"));
        Assert.Empty(await SearchAsync(store, "ceasefire", "tax"));
    }

    [Fact(Timeout = 120_000)]
    public async Task All_matches_are_ranked_by_relevance_not_only_the_newest_and_pages_share_one_ranking()
    {
        var store = await StartAsync();
        var old = await store.Claims.CreateClaimAsync(NewClaim("Harbour tolls, harbour tolls, harbour tolls."), null, TestAudit, Ct);
        var newer = Enumerable.Range(0, Limits.SearchWindow + 10).Select(i => NewClaim($"Report {i} on harbour tolls and the many other things in it")).ToList();
        foreach (var batch in newer.Chunk(1000)) await store.Claims.ImportClaimsAsync(batch, null, TestAudit, Ct);

        var found = await store.Search.SearchClaimsAsync(["harbour", "tolls"], null, 0, Limits.SearchWindow + 100, Ct);
        var page = await store.Search.SearchClaimsAsync(["harbour", "tolls"], null, 5, 10, Ct);
        var lastPage = await store.Search.SearchClaimsAsync(["harbour", "tolls"], null, Limits.SearchWindow - 1, 10, Ct);

        Assert.Equal(Limits.SearchWindow, found.Count);
        Assert.Equal(old.Id, found[0].Claim.Id);
        Assert.True(found[0].Relevance > found[1].Relevance, $"{found[0].Relevance} should exceed {found[1].Relevance}");
        Assert.Equal(Ids(found.Skip(5).Take(10)), Ids(page));
        Assert.Single(lastPage);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Claims_with_the_words_together_rank_before_shorter_claims_with_them_apart()
    {
        var store = await StartAsync();
        var apart = await store.Claims.CreateClaimAsync(NewClaim("Harbour fees and bridge tolls rise."), null, TestAudit, Ct);
        var together = await store.Claims.CreateClaimAsync(NewClaim("Officials said on Monday that harbour tolls will rise for all cargo ships next spring."), null, TestAudit, Ct);
        var scattered = await store.Claims.CreateClaimAsync(NewClaim("Our forces are ready and we defend."), null, TestAudit, Ct);
        var aroundFunctionWords = await store.Claims.CreateClaimAsync(NewClaim("He repeated on state television that the forces will defend every village in the region."), null, TestAudit, Ct);

        Assert.Equal([together.Id, apart.Id], await SearchAsync(store, "harbour", "tolls"));
        Assert.Equal([aroundFunctionWords.Id, scattered.Id], await SearchAsync(store, "forces", "defend"));
        Assert.Equal([apart.Id, together.Id], await SearchAsync(store, "tolls", "harbour")); // the pair's order counts
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_restarted_instance_resumes_its_index_and_a_missing_index_is_rebuilt_from_the_store()
    {
        var store = await StartAsync();
        var before = await store.Claims.CreateClaimAsync(NewClaim("Drought relief approved."), null, TestAudit, Ct);
        await SearchAsync(store, "drought"); // indexed
        await StopAsync(store);

        var restarted = await StartAsync();
        Assert.True(Indexed(restarted).Position.Sequence > 0, "the index resumed from its committed position");
        var after = await restarted.Claims.CreateClaimAsync(NewClaim("Drought relief extended."), null, TestAudit, Ct);
        Assert.Equal(new[] { before.Id, after.Id }.Order(), (await SearchAsync(restarted, "drought", "relief")).Order());
        Assert.Equal([after.Id], await SearchAsync(restarted, "extended"));

        var rebuilt = await StartAsync("rebuilt");
        Assert.Equal(new[] { before.Id, after.Id }.Order(), (await SearchAsync(rebuilt, "drought", "relief")).Order());
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_damaged_index_is_rebuilt_from_the_store_instead_of_stopping_the_server()
    {
        var store = await StartAsync();
        var claim = await store.Claims.CreateClaimAsync(NewClaim("Ceasefire talks resume."), null, TestAudit, Ct);
        await SearchAsync(store, "ceasefire");
        await StopAsync(store);
        // What a crash or a hand clean-up can leave: the commit point names segment files that are gone.
        var segmentInfos = System.IO.Directory.GetFiles(Directory.File("index"), "*.si");
        Assert.NotEmpty(segmentInfos);
        foreach (var file in segmentInfos) File.Delete(file);

        var restarted = await StartAsync();
        Assert.Equal([claim.Id], await SearchAsync(restarted, "ceasefire", "talks"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task An_index_written_with_an_older_document_schema_is_rebuilt_from_the_store()
    {
        var store = await StartAsync();
        var claim = await store.Claims.CreateClaimAsync(NewClaim("Ceasefire talks resume."), null, TestAudit, Ct);
        await SearchAsync(store, "ceasefire");
        await StopAsync(store);
        // What the index before the word pairs held: the same position in the log, documents without pairs, and no
        // schema in the commit. Its document for the claim says something else, so a resumed index would be caught.
        using (var directory = FSDirectory.Open(Directory.File("index")))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new StandardAnalyzer(LuceneVersion.LUCENE_48))))
        {
            var data = new Dictionary<string, string>(writer.CommitData);
            Assert.True(data.Remove("schema"), "the index records its schema in its commit");
            writer.DeleteAll();
            writer.AddDocument([
                new StringField("id", claim.Id, Field.Store.YES),
                new StringField("speaker", "", Field.Store.NO),
                new TextField("text", "Obsolete words.", Field.Store.NO),
            ]);
            writer.SetCommitData(data);
            writer.Commit();
        }

        var restarted = await StartAsync();
        Assert.Empty(await SearchAsync(restarted, "obsolete"));
        Assert.Equal([claim.Id], await SearchAsync(restarted, "ceasefire", "talks"));
    }

    protected static async Task<List<string>> SearchAsync(TestStore store, params string[] terms) =>
        Ids(await store.Search.SearchClaimsAsync(terms, null, 0, 100, Ct));

    private static List<string> Ids(IEnumerable<ScoredClaim> results) => results.Select(r => r.Claim.Id).ToList();

    private static Speaker NewSpeaker(string displayName) => new() { Id = ResourceNames.NewId(), DisplayName = displayName, Kind = SpeakerKind.Person };

    protected static Claim NewClaim(string text, string? speakerId = null) => new()
    {
        Id = ResourceNames.NewId(),
        Text = text,
        SpeakerId = speakerId,
        AttributedTo = speakerId is null ? "a government official" : null,
        Kind = AttributionKind.DirectQuote,
        LanguageCode = "en",
        AttributionConfidence = 0.75,
    };
}

public sealed class SqliteIndexedClaimSearchTests : IndexedClaimSearchTests
{
    private string databaseFile = "factcheck.db";

    protected override Task AddStoreAsync(IServiceCollection services)
    {
        services.AddSqliteStore(new SqliteStoreOptions { Path = Directory.File(databaseFile) });
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task An_index_left_by_another_database_is_rebuilt_from_this_one()
    {
        var first = await StartAsync();
        var old = await first.Claims.CreateClaimAsync(NewClaim("Tariff truce signed."), null, TestAudit, Ct);
        Assert.Equal([old.Id], await SearchAsync(first, "tariff"));
        await StopAsync(first);

        databaseFile = "other.db";
        var other = await StartAsync();
        var created = await other.Claims.CreateClaimAsync(NewClaim("Tariff truce extended."), null, TestAudit, Ct);

        Assert.Equal([created.Id], await SearchAsync(other, "tariff"));
    }
}

public sealed class PostgresIndexedClaimSearchTests : IndexedClaimSearchTests
{
    private PostgresTestDatabase? database;

    protected override async Task AddStoreAsync(IServiceCollection services)
    {
        database ??= await PostgresTestDatabase.CreateAsync();
        services.AddPostgresStore(new PostgresStoreOptions { ConnectionString = database.ConnectionString });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }
}
