using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;
using FactCheck.Storage.Postgres;
using Xunit.Abstractions;

namespace FactCheck.Storage.Tests;

/// <summary>The conformance suite on PostgreSQL, plus what only concurrent server instances on one database show.</summary>
public sealed class PostgresStoreTests(ITestOutputHelper output) : StoreConformanceTests
{
    private PostgresTestDatabase? database;

    private PostgresTestDatabase Database => database!;

    protected override async Task<IFactStore> CreateStoreAsync() => await OpenStoreAsync();

    /// <summary>Another store on this test's database: a second server instance, with its own connection pool.</summary>
    private async Task<PostgresFactStore> OpenStoreAsync()
    {
        database ??= await PostgresTestDatabase.CreateAsync();
        return await PostgresFactStore.OpenAsync(new PostgresStoreOptions { ConnectionString = database.ConnectionString }, Clock, Ct);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }

    [Fact]
    public async Task Reopening_the_database_keeps_the_data_and_does_not_apply_migrations_again()
    {
        var claim = await CreateAsync(NewClaim("Persisted."));
        const string migrations = "SELECT version || ' at ' || applied_at FROM schema_migrations ORDER BY version";
        var applied = await Database.QueryAsync(migrations);
        Clock.Advance(TimeSpan.FromDays(1)); // a migration applied again would be recorded at the new time

        await ReopenAsync();

        AssertSameContent(claim, await Store.GetClaimAsync(claim.Id, Ct));
        Assert.Equal(SchemaMigrations.LatestVersion, applied.Count);
        Assert.Equal(applied, await Database.QueryAsync(migrations));
    }

    [Fact]
    public async Task Server_instances_starting_together_on_a_fresh_database_apply_each_migration_once()
    {
        await using var fresh = await PostgresTestDatabase.CreateAsync();

        // Without the advisory lock, the losers fail creating tables (or schema_migrations rows) the winner created.
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            PostgresFactStore.OpenAsync(new PostgresStoreOptions { ConnectionString = fresh.ConnectionString }, Clock, Ct))));
        foreach (var store in stores) await store.DisposeAsync();

        Assert.Equal(Enumerable.Range(1, SchemaMigrations.LatestVersion).Select(v => v.ToString()),
            await fresh.QueryAsync("SELECT version::text FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task Concurrent_creates_with_one_request_id_from_two_instances_create_one_claim()
    {
        await using var second = await OpenStoreAsync();
        var key = new IdempotencyKey("request-1", "fingerprint-1");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : second).CreateClaimAsync(NewClaim("Once."), key, Ct))));

        var created = Assert.Single(results.DistinctBy(c => c.Id));
        Assert.All(results, result => AssertSameContent(created, result));
        Assert.Equal(["1"], await Database.QueryAsync("SELECT count(*)::text FROM claims"));
    }

    [Fact]
    public async Task Of_two_instances_updating_a_claim_at_the_same_version_exactly_one_wins()
    {
        await using var second = await OpenStoreAsync();
        var claim = await CreateAsync(NewClaim("Contested."));

        for (var round = 0; round < 10; round++)
        {
            var version = claim.Version;
            var outcomes = await Task.WhenAll(new IFactStore[] { Store, second }.Select((store, i) => Task.Run(async () =>
            {
                try
                {
                    return await store.UpdateClaimAsync(claim with { Text = $"Edit {version}.{i}." }, version, Ct);
                }
                catch (VersionConflictException)
                {
                    return null;
                }
            })));

            claim = Assert.Single(outcomes, outcome => outcome is not null)!;
            Assert.Equal(version + 1, claim.Version);
        }
        AssertSameContent(claim, await Store.GetClaimAsync(claim.Id, Ct));
    }

    [Fact]
    public async Task Of_two_instances_creating_speakers_with_one_wikidata_id_one_wins_and_the_other_is_told_who()
    {
        await using var second = await OpenStoreAsync();

        var outcomes = await Task.WhenAll(new IFactStore[] { Store, second }.Select(store => Task.Run(async () =>
        {
            try
            {
                return (object)await store.CreateSpeakerAsync(NewSpeaker("Vladimir Putin") with { WikidataId = "Q7747" }, null, Ct);
            }
            catch (AlreadyExistsException e)
            {
                return e;
            }
        })));

        var winner = Assert.Single(outcomes.OfType<Speaker>());
        Assert.Equal(winner.ResourceName, Assert.Single(outcomes.OfType<AlreadyExistsException>()).ResourceName);
    }

    [Fact]
    public async Task Search_folds_accents_as_names_are_folded_and_splits_words_at_any_punctuation()
    {
        var claim = await CreateAsync(NewClaim("Türkiye’s ceasefire—talks with ʿAbbās (example.org) failed."));

        foreach (string[] terms in (string[][])[["turkiye"], ["türkiye", "s"], ["ceasefire", "talks"], ["abbas"], ["example", "org"]])
            Assert.Equal([claim.Id], (await Store.SearchClaimsAsync(terms, null, 0, 10, Ct)).Select(r => r.Claim.Id));
    }

    // 20,000 claims by 100 speakers over 1,000 days, each in one of 20 publications: on empty tables a sequential scan
    // and a sort would be cheapest, so the planner only shows the paths a real database takes once it has rows.
    private const string PlanningData =
        """
        INSERT INTO speakers (id, display_name, kind, aliases, roles, create_time, update_time, version)
        SELECT 'speaker' || i, 'Speaker ' || i, 1, '[]', '[]', now(), now(), 1 FROM generate_series(1, 100) i;
        INSERT INTO claims (id, speaker_id, text, search, kind, sort_day, language_code, attribution_confidence, status,
            create_time, update_time, version)
        SELECT 'claim' || i, 'speaker' || i % 100 + 1, 'Claim ' || i, to_tsvector('simple', 'claim ' || i), 1, 739000 - i % 1000, 'en',
            0.5, 1, now(), now(), 1
        FROM generate_series(1, 20000) i;
        INSERT INTO appearances (claim_seq, position, url, publication, publication_folded, credited_outlets)
        SELECT seq, 0, 'https://example.org/' || seq, 'Outlet ' || seq % 20, 'outlet ' || seq % 20, '[]' FROM claims;
        ANALYZE;
        """;

    [Theory]
    [InlineData("speaker", "claims_by_speaker", false)]
    [InlineData("speaker", "claims_by_speaker", true)]
    [InlineData("publication", "claims_by_day", true)]
    [InlineData("none", "claims_by_day", false)]
    [InlineData("none", "claims_by_day", true)]
    public async Task Listing_walks_an_index_in_listing_order_from_the_cursor_without_sorting(string filterKind, string index, bool withCursor)
    {
        var filter = filterKind switch
        {
            "speaker" => new ClaimFilter { SpeakerId = "speaker7" },
            "publication" => new ClaimFilter { Publication = "OUTLET 7" },
            _ => new ClaimFilter(),
        };
        var cursor = withCursor ? new ClaimCursor(DateOnly.FromDayNumber(738500), 1000) : null;
        var (sql, parameters) = PostgresFactStore.ListClaimsQuery(filter, cursor, 50);

        var plan = await ExplainAsync(sql, parameters);

        Assert.Contains(plan, step => step.Contains($"Index Scan using {index} on claims c"));
        // The index range starts at the cursor rather than at the newest entry.
        Assert.Equal(withCursor, plan.Any(step => step.Contains("Index Cond:") && step.Contains("ROW(sort_day, seq) < ROW(")));
        Assert.DoesNotContain(plan, step => step.TrimStart().StartsWith("Sort"));
    }

    // Limited to a speaker, a search for words that many claims have may rather filter that speaker's claims
    // (claims_by_speaker): the planner's choice, by the statistics.
    [Fact]
    public async Task Search_looks_the_terms_up_in_the_gin_index()
    {
        var (sql, parameters) = PostgresFactStore.SearchClaimsQuery(["claim", "12345"], null, 0, 20);

        var plan = await ExplainAsync(sql, parameters);

        Assert.Contains(plan, step => step.Contains("Bitmap Index Scan on claims_search"));
    }

    private async Task<List<string>> ExplainAsync(string sql, (string, object?)[] parameters)
    {
        await Database.QueryAsync(PlanningData);
        var plan = await Database.QueryAsync("EXPLAIN " + sql, parameters);
        output.WriteLine(string.Join('\n', plan));
        return plan;
    }
}
