using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Storage;
using FactCheck.Core.Verification;
using FactCheck.Storage.Relational;
using FactCheck.Storage.Relational.Audit;
using FactCheck.Storage.Relational.Claims;
using FactCheck.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FactCheck.Storage.Tests;

public sealed class SqliteStoreTests(ITestOutputHelper output) : StoreConformanceTests
{
    // A directory per test; the store must create the "data" directory inside it itself.
    private readonly string directory = Path.Combine(Path.GetTempPath(), "factcheck-storage-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(directory, "data", "factcheck.db");

    protected override Task<TestStore> CreateStoreAsync() => OpenStoreAsync(DatabasePath);

    private Task<TestStore> OpenStoreAsync(string path) =>
        TestStore.StartAsync(Clock, services => services.AddSqliteStore(new SqliteStoreOptions { Path = path }));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Reopening_the_file_keeps_the_data_and_does_not_apply_migrations_again()
    {
        var claim = await CreateAsync(NewClaim("Persisted."));
        var applied = await QueryAsync("SELECT version || ' at ' || applied_at FROM schema_migrations ORDER BY version");
        Clock.Advance(TimeSpan.FromDays(1)); // a migration applied again would be recorded at the new time

        await ReopenAsync();

        AssertSameContent(claim, await Store.Claims.GetClaimAsync(claim.Id, Ct));
        Assert.NotEmpty(applied);
        Assert.Equal(applied, await QueryAsync("SELECT version || ' at ' || applied_at FROM schema_migrations ORDER BY version"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_write_that_waits_out_another_process_holding_the_file_fails_as_busy_not_as_a_driver_error()
    {
        await using var otherProcess = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await otherProcess.OpenAsync(Ct);
        await using var holding = otherProcess.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the file's write lock

        // After busy_timeout (5 s) SQLite gives up with SQLITE_BUSY, which the server answers with UNAVAILABLE.
        var error = await Assert.ThrowsAsync<StoreBusyException>(() => CreateAsync(NewSpeaker("Waiting Speaker")));

        Assert.Equal(5, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode); // SQLITE_BUSY
        await holding.RollbackAsync(Ct);
        Assert.NotNull(await CreateAsync(NewSpeaker("Later Speaker")));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task The_database_file_is_in_wal_mode()
    {
        Assert.Equal(["wal"], await QueryAsync("PRAGMA journal_mode"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Concurrent_writes_and_reads_from_many_tasks_and_two_store_instances_all_succeed()
    {
        // The second instance has its own write queue, like another process on the file: only SQLite's locking
        // (BEGIN IMMEDIATE plus busy_timeout) keeps the two instances' writers apart.
        await using var second = await OpenStoreAsync(DatabasePath);
        var speaker = await CreateAsync(NewSpeaker("Busy Speaker"));

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? Store : second;
            await store.Speakers.CreateSpeakerAsync(NewSpeaker($"Speaker {i}"), null, TestAudit, Ct);
            for (var j = 0; j < 5; j++)
            {
                var claim = await store.Claims.CreateClaimAsync(NewClaim($"Claim {i} {j}.", speaker.Id), null, TestAudit, Ct);
                await store.Claims.UpdateClaimAsync(claim with { Text = $"Edited claim {i} {j}." }, claim.Version, TestAudit, Ct);
                await store.Claims.ListClaimsAsync(new ClaimFilter { SpeakerId = speaker.Id }, null, 10, Ct);
            }
        })));

        Assert.Equal(160, (await ListAsync(new ClaimFilter(), limit: 1000)).Count);
        Assert.Equal(160, (await Store.Search.SearchClaimsAsync(["edited"], speaker.Id, 0, 1000, Ct)).Count);
        Assert.Equal(33, (await Store.Speakers.ListSpeakersAsync(0, 1000, Ct)).Count);
        // Both instances appended to one chain: each read the last event inside its own write transaction.
        Assert.Null(await AuditChain.VerifyAsync(second.Audit.ReadAuditLogAsync(Ct), Ct));
        Assert.Equal(1 + 32 + 32 * 5 * 2, (await ReadAuditLogAsync()).Count);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Migration_2_indexes_the_shingles_of_the_live_claims_that_existed_before_it()
    {
        const string quote = "The central bank will raise interest rates";
        const string other = "Interest rates will fall, the central bank said";
        var path = Path.Combine(directory, "old", "factcheck.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var database = new SqliteDatabase(new SqliteStoreOptions { Path = path }, Clock))
        {
            await database.MigrateAsync(Ct, upToVersion: 1);
            await database.WriteAsync(session => session.ExecuteAsync(
                """
                INSERT INTO claims (id, text, kind, sort_day, language_code, attribution_confidence, status, create_time, update_time, version, delete_time)
                VALUES ('old-1', @quote, 1, 739000, 'en', 0.5, 1, 0, 0, 1, NULL),
                       ('old-2', @other, 1, 739000, 'en', 0.5, 1, 0, 0, 1, NULL),
                       ('deleted', @quote, 1, 739000, 'en', 0.5, 1, 0, 0, 2, 0)
                """, Ct, ("@quote", quote), ("@other", other)), Ct);
        }

        await using var store = await OpenStoreAsync(path);

        var query = QuoteShingles.For(quote);
        var sharedByOther = query.Intersect(QuoteShingles.For(other)).Count();
        Assert.InRange(sharedByOther, 1, query.Count - 1);
        Assert.Equal([("old-1", query.Count), ("old-2", sharedByOther)], await store.Search.FindClaimsByShinglesAsync(query, 10, Ct));
        // The index is derived data, not a change anyone made: nothing is audited.
        await foreach (var e in store.Audit.ReadAuditLogAsync(Ct)) Assert.Fail($"unexpected audit event {e.Action}");
        var created = await store.Claims.CreateClaimAsync(NewClaim(quote + " again."), null, TestAudit, Ct);
        Assert.Equal(created.Id, (await store.Search.FindClaimsByShinglesAsync(query, 10, Ct))[0].ClaimId);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Migration_4_queues_the_live_claims_that_existed_before_it_for_embedding()
    {
        var path = Path.Combine(directory, "before-vectors", "factcheck.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var database = new SqliteDatabase(new SqliteStoreOptions { Path = path }, Clock))
        {
            await database.MigrateAsync(Ct, upToVersion: 3);
            await database.WriteAsync(session => session.ExecuteAsync(
                """
                INSERT INTO claims (id, text, kind, sort_day, language_code, attribution_confidence, status, create_time, update_time, version, delete_time)
                VALUES ('old-1', 'Old words.', 1, 739000, 'en', 0.5, 1, 0, 0, 3, NULL),
                       ('deleted', 'Deleted words.', 1, 739000, 'en', 0.5, 1, 0, 0, 2, 0)
                """, Ct), Ct);
        }

        await using var store = await OpenStoreAsync(path);

        var queued = Assert.Single(await store.Vectors.LeaseQueuedAsync(10, Clock.GetUtcNow().AddMinutes(1), Ct));
        Assert.Equal(("old-1", 3L, "Old words."), (queued.ClaimId, queued.Version, queued.Text));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Shingle_lookup_probes_the_primary_key_for_each_key()
    {
        var (sql, parameters) = SqliteClaimSearch.FindClaimsByShinglesQuery([1, 2, 3], 10);

        var plan = await QueryAsync("EXPLAIN QUERY PLAN " + sql, parameters, column: 3);

        output.WriteLine(string.Join('\n', plan));
        Assert.Contains(plan, step => step.Contains("SEARCH s USING PRIMARY KEY (shingle=? AND claim_seq>?)"));
        Assert.Contains(plan, step => step.Contains("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"));
    }

    [Theory(Timeout = TestTimeouts.Store)]
    [InlineData("resource", "INDEX audit_events_by_resource (resource_name=? AND seq>?)")]
    [InlineData("principal", "INDEX audit_events_by_principal (principal=? AND seq>?)")]
    [InlineData("action", "INDEX audit_events_by_action (action=? AND seq>?)")]
    [InlineData("none", "INTEGER PRIMARY KEY (rowid>?)")]
    public async Task Listing_audit_events_walks_an_index_in_log_order_from_the_cursor_without_sorting(string filterKind, string search)
    {
        var filter = filterKind switch
        {
            "resource" => new AuditFilter { ResourceName = "claims/abc" },
            "principal" => new AuditFilter { Principal = "alice" },
            "action" => new AuditFilter { Action = AuditActions.ClaimUpdate },
            _ => new AuditFilter(),
        };
        var (sql, parameters) = AuditStore.ListQuery(filter, 1000, 50);

        var plan = await QueryAsync("EXPLAIN QUERY PLAN " + sql, parameters, column: 3);

        output.WriteLine(string.Join('\n', plan));
        Assert.Contains($"SEARCH audit_events USING {search}", Assert.Single(plan));
    }

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
            "speaker" => new ClaimFilter { SpeakerId = "abc" },
            "publication" => new ClaimFilter { Publication = "Dawn" },
            _ => new ClaimFilter(),
        };
        var cursor = withCursor ? new ClaimCursor(new DateOnly(2024, 5, 1), 1000) : null;
        var (sql, parameters) = ClaimListing.Query(new SqliteDialect(), filter, cursor, 50);

        var plan = await QueryAsync("EXPLAIN QUERY PLAN " + sql, parameters, column: 3);

        output.WriteLine(string.Join('\n', plan));
        var claimsStep = Assert.Single(plan, step => step.Contains(" c USING INDEX "));
        Assert.Contains($"USING INDEX {index}", claimsStep);
        // The index range starts at the cursor ("<" on the DESC column) rather than at the newest entry.
        Assert.Equal(withCursor, claimsStep.Contains("sort_day<?"));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE"));
    }

    /// <summary>One column of every row, read on a connection of the test's own (not the store's pool).</summary>
    private async Task<List<string>> QueryAsync(string sql, (string, object?)[]? parameters = null, int column = 0)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return await new DbSession(connection, new SqliteDialect(), Clock).QueryAsync(sql, row => row.String(column), Ct, parameters ?? []);
    }
}
