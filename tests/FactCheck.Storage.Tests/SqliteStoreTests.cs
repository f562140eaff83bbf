using FactCheck.Core.Claims;
using FactCheck.Core.Storage;
using FactCheck.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FactCheck.Storage.Tests;

public sealed class SqliteStoreTests(ITestOutputHelper output) : StoreConformanceTests
{
    // A directory per test; the store must create the "data" directory inside it itself.
    private readonly string directory = Path.Combine(Path.GetTempPath(), "factcheck-storage-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(directory, "data", "factcheck.db");

    protected override async Task<IFactStore> CreateStoreAsync() => await OpenStoreAsync();

    private Task<SqliteFactStore> OpenStoreAsync() =>
        SqliteFactStore.OpenAsync(new SqliteStoreOptions { Path = DatabasePath }, Clock, Ct);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Reopening_the_file_keeps_the_data_and_does_not_apply_migrations_again()
    {
        var claim = await CreateAsync(NewClaim("Persisted."));
        var applied = await QueryAsync("SELECT version || ' at ' || applied_at FROM schema_migrations ORDER BY version");
        Clock.Advance(TimeSpan.FromDays(1)); // a migration applied again would be recorded at the new time

        await ReopenAsync();

        AssertSameContent(claim, await Store.GetClaimAsync(claim.Id, Ct));
        Assert.NotEmpty(applied);
        Assert.Equal(applied, await QueryAsync("SELECT version || ' at ' || applied_at FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        Assert.Equal(["wal"], await QueryAsync("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Concurrent_writes_and_reads_from_many_tasks_and_two_store_instances_all_succeed()
    {
        // The second instance has its own write queue, like another process on the file: only SQLite's locking
        // (BEGIN IMMEDIATE plus busy_timeout) keeps the two instances' writers apart.
        await using var second = await OpenStoreAsync();
        var speaker = await CreateAsync(NewSpeaker("Busy Speaker"));

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            IFactStore store = i % 2 == 0 ? Store : second;
            await store.CreateSpeakerAsync(NewSpeaker($"Speaker {i}"), null, TestAudit, Ct);
            for (var j = 0; j < 5; j++)
            {
                var claim = await store.CreateClaimAsync(NewClaim($"Claim {i} {j}.", speaker.Id), null, TestAudit, Ct);
                await store.UpdateClaimAsync(claim with { Text = $"Edited claim {i} {j}." }, claim.Version, TestAudit, Ct);
                await store.ListClaimsAsync(new ClaimFilter { SpeakerId = speaker.Id }, null, 10, Ct);
            }
        })));

        Assert.Equal(160, (await ListAsync(new ClaimFilter(), limit: 1000)).Count);
        Assert.Equal(160, (await Store.SearchClaimsAsync(["edited"], speaker.Id, 0, 1000, Ct)).Count);
        Assert.Equal(33, (await Store.ListSpeakersAsync(0, 1000, Ct)).Count);
    }

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
            "speaker" => new ClaimFilter { SpeakerId = "abc" },
            "publication" => new ClaimFilter { Publication = "Dawn" },
            _ => new ClaimFilter(),
        };
        var cursor = withCursor ? new ClaimCursor(new DateOnly(2024, 5, 1), 1000) : null;
        var (sql, parameters) = SqliteFactStore.ListClaimsQuery(filter, cursor, 50);

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
        await using var command = connection.Command(sql, parameters ?? []);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct)) values.Add(reader.GetString(column));
        return values;
    }
}
