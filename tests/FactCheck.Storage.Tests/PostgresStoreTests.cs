using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Reviews;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;
using FactCheck.Core.Verification;
using FactCheck.Storage.Postgres;
using FactCheck.Storage.Relational.Audit;
using FactCheck.Storage.Relational.Claims;
using FactCheck.Storage.Relational.Migrations;
using Npgsql;
using Xunit.Abstractions;

namespace FactCheck.Storage.Tests;

/// <summary>The conformance suite on PostgreSQL, plus what only concurrent server instances on one database show, the
/// migration of an existing database and the query plans.</summary>
public sealed class PostgresStoreTests(ITestOutputHelper output) : StoreConformanceTests
{
    private PostgresTestDatabase? database;

    private PostgresTestDatabase Database => database!;

    protected override async Task<TestStore> CreateStoreAsync() => await OpenStoreAsync();

    /// <summary>Another store on this test's database: a second server instance, with its own connection pool.</summary>
    private async Task<TestStore> OpenStoreAsync()
    {
        database ??= await PostgresTestDatabase.CreateAsync();
        return await OpenStoreAsync(database.ConnectionString);
    }

    private Task<TestStore> OpenStoreAsync(string connectionString) =>
        TestStore.StartAsync(Clock, services => services.AddPostgresStore(new PostgresStoreOptions { ConnectionString = connectionString }));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Reopening_the_database_keeps_the_data_and_does_not_apply_migrations_again()
    {
        var claim = await CreateAsync(NewClaim("Persisted."));
        const string migrations = "SELECT version || ' at ' || applied_at FROM schema_migrations ORDER BY version";
        var applied = await Database.QueryAsync(migrations);
        Clock.Advance(TimeSpan.FromDays(1)); // a migration applied again would be recorded at the new time

        await ReopenAsync();

        AssertSameContent(claim, await Store.Claims.GetClaimAsync(claim.Id, Ct));
        Assert.Equal(SharedSchema.LatestVersion, applied.Count);
        Assert.Equal(applied, await Database.QueryAsync(migrations));
    }

    [Fact(Timeout = 120_000)]
    public async Task Reading_a_claim_or_a_speaker_by_id_is_one_round_trip()
    {
        var speaker = await CreateAsync(NewSpeaker("Dmitry Peskov"));
        var claim = await CreateAsync(NewClaim("Talks will resume next week.", speaker.Id) with
        {
            Appearances = [NewAppearance("TASS", Clock.GetUtcNow().AddTicks(30)), NewAppearance("Dawn")],
        });
        var target = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        await using var relay = RoundTripRelay.To(target.Host!, target.Port);
        await using var store = await OpenStoreAsync(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Port = relay.Port }.ToString());
        // The first reads open the pooled connection and get the statements prepared (after 5 uses), in their own round trips.
        for (var i = 0; i < 6; i++)
        {
            await store.Claims.GetClaimAsync(claim.Id, Ct);
            await store.Speakers.GetSpeakerAsync(speaker.Id, Ct);
        }

        var before = relay.RoundTrips;
        for (var i = 0; i < 10; i++)
        {
            AssertSameContent(claim, await store.Claims.GetClaimAsync(claim.Id, Ct));
            AssertSameContent(speaker, await store.Speakers.GetSpeakerAsync(speaker.Id, Ct));
        }

        Assert.Equal(20, relay.RoundTrips - before);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_database_that_cannot_be_reached_is_unavailable_not_a_driver_error()
    {
        var options = new PostgresStoreOptions { ConnectionString = $"Host=127.0.0.1;Port={Loopback.FreePort()};Username=postgres;Timeout=5" };

        // Starting migrates first, so it is the first to find the database away.
        var atStart = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            TestStore.StartAsync(Clock, services => services.AddPostgresStore(options)));
        await using var database = new PostgresDatabase(options, Clock);
        var atPing = await Assert.ThrowsAsync<StoreUnavailableException>(() => database.PingAsync(Ct));

        Assert.IsAssignableFrom<NpgsqlException>(atStart.InnerException);
        Assert.IsAssignableFrom<NpgsqlException>(atPing.InnerException);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Server_instances_starting_together_on_a_fresh_database_apply_each_migration_once()
    {
        await using var fresh = await PostgresTestDatabase.CreateAsync();

        // Without the advisory lock, the losers fail creating tables (or schema_migrations rows) the winner created.
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenStoreAsync(fresh.ConnectionString))));
        foreach (var store in stores) await store.DisposeAsync();

        Assert.Equal(Enumerable.Range(1, SharedSchema.LatestVersion).Select(v => v.ToString()),
            await fresh.QueryAsync("SELECT version::text FROM schema_migrations ORDER BY version"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Concurrent_creates_with_one_request_id_from_two_instances_create_one_claim()
    {
        await using var second = await OpenStoreAsync();
        var key = new IdempotencyKey("request-1", "fingerprint-1");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : second).Claims.CreateClaimAsync(NewClaim("Once."), key, TestAudit, Ct))));

        var created = Assert.Single(results.DistinctBy(c => c.Id));
        Assert.All(results, result => AssertSameContent(created, result));
        Assert.Equal(["1"], await Database.QueryAsync("SELECT count(*)::text FROM claims"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Of_two_instances_updating_a_claim_at_the_same_version_exactly_one_wins()
    {
        await using var second = await OpenStoreAsync();
        var claim = await CreateAsync(NewClaim("Contested."));

        for (var round = 0; round < 10; round++)
        {
            var version = claim.Version;
            var outcomes = await Task.WhenAll(new[] { Store, second }.Select((store, i) => Task.Run(async () =>
            {
                try
                {
                    return await store.Claims.UpdateClaimAsync(claim with { Text = $"Edit {version}.{i}." }, version, TestAudit, Ct);
                }
                catch (VersionConflictException)
                {
                    return null;
                }
            })));

            claim = Assert.Single(outcomes, outcome => outcome is not null)!;
            Assert.Equal(version + 1, claim.Version);
        }
        AssertSameContent(claim, await Store.Claims.GetClaimAsync(claim.Id, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Of_two_instances_creating_speakers_with_one_wikidata_id_one_wins_and_the_other_is_told_who()
    {
        await using var second = await OpenStoreAsync();

        var outcomes = await Task.WhenAll(new[] { Store, second }.Select(store => Task.Run(async () =>
        {
            try
            {
                return (object)await store.Speakers.CreateSpeakerAsync(NewSpeaker("Vladimir Putin") with { WikidataId = "Q7747" }, null, TestAudit, Ct);
            }
            catch (AlreadyExistsException e)
            {
                return e;
            }
        })));

        var winner = Assert.Single(outcomes.OfType<Speaker>());
        Assert.Equal(winner.ResourceName, Assert.Single(outcomes.OfType<AlreadyExistsException>()).ResourceName);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Two_instances_appending_concurrently_keep_one_audit_chain_without_forks_or_gaps()
    {
        await using var second = await OpenStoreAsync();
        var speaker = await CreateAsync(NewSpeaker("Shared Speaker"));

        // Each task: a claim created, edited, reviewed (two events) and maybe deleted, an API key, and a contended
        // update of one speaker; half the tasks on each instance, so appends race across connection pools.
        var perTask = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            TestStore store = i % 2 == 0 ? Store : second, other = i % 2 == 0 ? second : Store;
            var audit = new AuditContext($"instance-{i % 2}", "test.concurrent", null, $"request-{i}");
            var key = new IdempotencyKey($"request-{i}", "fingerprint");
            var claim = await store.Claims.CreateClaimAsync(NewClaim($"Claim {i} about harbour tolls."), key, audit, Ct);
            // A retry through the other instance appends nothing.
            await other.Claims.CreateClaimAsync(NewClaim($"Claim {i} about harbour tolls."), key, audit, Ct);
            claim = await store.Claims.UpdateClaimAsync(claim with { Text = $"Edited claim {i}." }, claim.Version, audit, Ct);
            var (_, reviewed) = await store.Reviews.AddReviewAsync(NewReview(claim.Id, ReviewVerdict.Accurate), audit, Ct);
            var count = 4;
            if (i % 3 == 0)
            {
                await store.Claims.DeleteClaimAsync(reviewed.Id, reviewed.Version, Clock.GetUtcNow(), audit, Ct);
                count++;
            }
            await store.ApiKeys.CreateApiKeyAsync(NewApiKey($"worker-{i}"), audit, Ct);
            count++;
            for (var done = false; !done;)
            {
                var current = (await store.Speakers.GetSpeakerAsync(speaker.Id, Ct))!;
                try
                {
                    await store.Speakers.UpdateSpeakerAsync(current with { Description = $"touched by {i}" }, current.Version, audit, Ct);
                    done = true;
                }
                catch (VersionConflictException)
                {
                }
            }
            return count + 1;
        })));

        var expected = 1 + perTask.Sum();
        foreach (var store in new[] { Store, second })
        {
            Assert.Null(await AuditChain.VerifyAsync(store.Audit.ReadAuditLogAsync(Ct), Ct));
            var log = new List<AuditEvent>();
            await foreach (var e in store.Audit.ReadAuditLogAsync(Ct)) log.Add(e);
            Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), log.Select(e => e.Sequence));
            Assert.Equal(expected, log.Select(e => e.Id).Distinct().Count());
        }
        Assert.Equal([expected.ToString()], await Database.QueryAsync("SELECT count(*)::text FROM audit_events"));
        Assert.Equal(["instance-0", "instance-1", "tester"], await Database.QueryAsync("SELECT DISTINCT principal FROM audit_events ORDER BY 1"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Migration_2_backfills_the_shingles_of_the_claims_stored_before_it()
    {
        await using var old = await PostgresTestDatabase.CreateAsync();
        await using (var oldDatabase = new PostgresDatabase(new PostgresStoreOptions { ConnectionString = old.ConnectionString }, Clock))
            await oldDatabase.MigrateAsync(Ct, upToVersion: 1);
        // More claims than a backfill page, every seventh one deleted.
        await old.QueryAsync(
            """
            INSERT INTO claims (id, text, search, kind, sort_day, language_code, attribution_confidence, status, create_time,
                update_time, version, delete_time)
            SELECT 'claim' || i, 'Claim number ' || i || ' about harbour tolls in port ' || i % 50, to_tsvector('simple', 'claim'), 1,
                739000, 'en', 0.5, 1, now(), now(), 1, CASE WHEN i % 7 = 0 THEN now() END
            FROM generate_series(1, 2500) i
            """);

        await using var store = await OpenStoreAsync(old.ConnectionString);

        var live = Enumerable.Range(1, 2500).Where(i => i % 7 != 0).ToList();
        var expectedRows = live.Sum(i => QuoteShingles.For($"Claim number {i} about harbour tolls in port {i % 50}").Count);
        Assert.Equal([expectedRows.ToString()], await old.QueryAsync("SELECT count(*)::text FROM claim_shingles"));
        Assert.Equal(["0"], await old.QueryAsync(
            "SELECT count(*)::text FROM claim_shingles s JOIN claims c ON c.seq = s.claim_seq WHERE c.delete_time IS NOT NULL"));
        foreach (var i in new[] { 1, 999, 1000, 1002, 2500 })
        {
            var query = QuoteShingles.For($"Claim number {i} about harbour tolls in port {i % 50}");
            // Top by its own keys; "about harbour tolls" is in more claims than a look-up reads per key, so not by all.
            Assert.Equal($"claim{i}", (await store.Search.FindClaimsByShinglesAsync(query, 1, Ct))[0].ClaimId);
        }
        Assert.DoesNotContain(await store.Search.FindClaimsByShinglesAsync(QuoteShingles.For("Claim number 2401 about harbour tolls in port 1"), 5000, Ct),
            found => found.ClaimId == "claim2401");
        Assert.Equal(Enumerable.Range(1, SharedSchema.LatestVersion).Select(v => v.ToString()),
            await old.QueryAsync("SELECT version::text FROM schema_migrations ORDER BY version"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_folds_accents_as_names_are_folded_and_splits_words_at_any_punctuation()
    {
        var claim = await CreateAsync(NewClaim("Türkiye’s ceasefire—talks with ʿAbbās (example.org) failed."));

        foreach (string[] terms in (string[][])[["turkiye"], ["türkiye", "s"], ["ceasefire", "talks"], ["abbas"], ["example", "org"]])
            Assert.Equal([claim.Id], (await Store.Search.SearchClaimsAsync(terms, null, 0, 10, Ct)).Select(r => r.Claim.Id));
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

    [Theory(Timeout = TestTimeouts.Store)]
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
        var (sql, parameters) = ClaimListing.Query(new PostgresDialect(), filter, cursor, 50);

        var plan = await ExplainAsync(sql, parameters);

        Assert.Contains(plan, step => step.Contains($"Index Scan using {index} on claims c"));
        // The index range starts at the cursor rather than at the newest entry.
        Assert.Equal(withCursor, plan.Any(step => step.Contains("Index Cond:") && step.Contains("ROW(sort_day, seq) < ROW(")));
        Assert.DoesNotContain(plan, step => step.TrimStart().StartsWith("Sort"));
    }

    // Limited to a speaker, a search for words that many claims have may rather filter that speaker's claims
    // (claims_by_speaker): the planner's choice, by the statistics.
    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_looks_the_terms_up_in_the_gin_index()
    {
        var (sql, parameters) = PostgresClaimSearch.SearchClaimsQuery(["claim", "12345"], null, 0, 20);

        var plan = await ExplainAsync(sql, parameters);

        Assert.Contains(plan, step => step.Contains("Bitmap Index Scan on claims_search"));
    }

    // Ten shingles per claim, each shared by four claims (as common word pairs are): 200,000 index entries.
    private const string ShingleData =
        """
        INSERT INTO claim_shingles (shingle, claim_seq)
        SELECT hashtextextended((seq % 5000) || ' ' || k, 0), seq FROM claims, generate_series(1, 10) k;
        ANALYZE claim_shingles;
        """;

    [Theory(Timeout = TestTimeouts.Store)]
    [InlineData(10)]
    [InlineData(QuoteShingles.MaxPerText)]
    public async Task Shingle_lookup_finds_the_keys_in_the_shingle_index(int shingleCount)
    {
        await Database.QueryAsync(PlanningData + ShingleData);
        // A quote's keys: those of a few stored claims, as a quote found in the record shares them.
        var shingles = (await Database.QueryAsync("SELECT DISTINCT shingle::text FROM claim_shingles WHERE claim_seq BETWEEN 1000 AND 1030"))
            .Select(long.Parse).Take(shingleCount).ToArray();
        Assert.Equal(shingleCount, shingles.Length);
        var (sql, parameters) = PostgresClaimSearch.FindClaimsByShinglesQuery(shingles, 20);

        var plan = await ExplainAsync(sql, parameters, seed: false);

        Assert.Contains(plan, step => step.Contains("claim_shingles_pkey") && step.Contains("Index"));
        Assert.DoesNotContain(plan, step => step.Contains("Seq Scan on claim_shingles"));
    }

    // 50,000 events by 1,000 principals, with 10 actions, on 5,000 resources.
    private const string AuditData =
        """
        INSERT INTO audit_events (seq, id, time, principal, action, resource_name, previous_hash, hash)
        SELECT i, 'event' || i, timestamptz '2025-01-01' + i * interval '1 minute', 'principal' || i % 1000, 'action' || i % 10,
            'claims/claim' || i % 5000, '\x00', '\x00'
        FROM generate_series(1, 50000) i;
        ANALYZE audit_events;
        """;

    [Theory(Timeout = TestTimeouts.Store)]
    [InlineData("resource", "audit_events_by_resource")]
    [InlineData("principal", "audit_events_by_principal")]
    [InlineData("resource and principal", "audit_events_by_resource")]
    public async Task Audit_filters_look_events_up_in_their_index_from_the_cursor(string filterKind, string index)
    {
        await Database.QueryAsync(AuditData);
        var filter = filterKind switch
        {
            "resource" => new AuditFilter { ResourceName = "claims/claim7" },
            "principal" => new AuditFilter { Principal = "principal7" },
            _ => new AuditFilter { ResourceName = "claims/claim7", Principal = "principal7" },
        };
        var (sql, parameters) = AuditStore.ListQuery(filter, 20_000, 50);

        var plan = await ExplainAsync(sql, parameters, seed: false);

        Assert.Contains(plan, step => step.Contains($"Index Scan using {index} on audit_events") || step.Contains($"Bitmap Index Scan on {index}"));
        Assert.DoesNotContain(plan, step => step.Contains("Seq Scan"));
    }

    private async Task<List<string>> ExplainAsync(string sql, (string, object?)[] parameters, bool seed = true)
    {
        if (seed) await Database.QueryAsync(PlanningData);
        var plan = await Database.QueryAsync("EXPLAIN " + sql, parameters);
        output.WriteLine(string.Join('\n', plan));
        return plan;
    }
}
