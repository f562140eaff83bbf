using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using FactCheck.Core;
using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Reviews;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;
using FactCheck.Core.Verification;
using Microsoft.Data.Sqlite;
using static FactCheck.Core.Storage.StoredValues;
using static FactCheck.Storage.Sqlite.Rows;

namespace FactCheck.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, a pooled connection per operation. Reads run concurrently on
/// WAL snapshots; writes are serialized (SQLite has a single writer), each one a single transaction, which also
/// appends the change's audit events: serialized writes are what keep the audit chain free of forks and gaps.
/// </summary>
public sealed class SqliteFactStore : IFactStore, IAsyncDisposable
{
    private const int BusyTimeoutMilliseconds = 5000;
    /// <summary>The writer's page cache (readers keep SQLite's default 2 MiB each).</summary>
    private const int WriterCacheKibibytes = 64 * 1024;
    private const string InstallationSecretKey = "installation_secret";

    private readonly string connectionString;
    private readonly string writeConnectionString;
    private readonly string connectionPragmas;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private byte[]? installationSecret;

    private SqliteFactStore(string connectionString, bool synchronousFull, TimeProvider clock)
    {
        this.connectionString = connectionString;
        // The same database, but a connection string of its own puts writers in a pool of their own (pools are per
        // connection string), so the writer's large page cache is not handed to readers: random-key index inserts
        // (quote shingles, ids) touch many pages per batch, and a warm cache keeps them from being read back in.
        writeConnectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 }.ToString();
        this.clock = clock;
        // Per-connection settings (journal_mode is per file, set once in OpenAsync). busy_timeout covers other
        // processes on the same file; writers in this process queue on writeLock instead.
        connectionPragmas = $"PRAGMA foreign_keys = ON; PRAGMA synchronous = {(synchronousFull ? "FULL" : "NORMAL")}; " +
                            $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
    }

    /// <summary>Opens (creating if needed) the database file and brings its schema up to date.</summary>
    public static async Task<SqliteFactStore> OpenAsync(SqliteStoreOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(options.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        var store = new SqliteFactStore(connectionString, options.SynchronousFull, clock);
        await using var connection = await store.OpenConnectionAsync(forWrite: true, cancellationToken);
        // WAL persists in the file: readers then see a snapshot and neither block nor are blocked by the writer.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL", cancellationToken);
        await SchemaMigrations.ApplyAsync(connection, clock, cancellationToken);
        return store;
    }

    public ValueTask DisposeAsync()
    {
        // Closing the pooled connections checkpoints the WAL into the main file and releases it.
        foreach (var pool in new[] { connectionString, writeConnectionString })
            using (var connection = new SqliteConnection(pool)) SqliteConnection.ClearPool(connection);
        writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    // ---- Speakers ----

    public Task<Speaker> CreateSpeakerAsync(Speaker speaker, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken) =>
        CreateAsync(ResourceNames.SpeakersCollection, speaker.Id, idempotency, async connection =>
        {
            var now = Now();
            var created = speaker with { CreateTime = now, UpdateTime = now, Version = 1 };
            await EnsureWikidataIdFreeAsync(connection, created, cancellationToken);
            var seq = (long)(await connection.ScalarAsync(
                """
                INSERT INTO speakers (id, display_name, kind, aliases_json, roles_json, wikidata_id, description, create_time, update_time, version)
                VALUES ($id, $display_name, $kind, $aliases_json, $roles_json, $wikidata_id, $description, $create_time, $update_time, $version)
                RETURNING seq
                """, cancellationToken, SpeakerParameters(created)))!;
            await WriteNameKeysAsync(connection, seq, created, cancellationToken);
            await AppendAuditAsync(connection, audit, created.ResourceName, null, AuditSnapshots.Of(created), now, cancellationToken);
            return created;
        }, async (connection, id) => (await QuerySpeakersAsync(connection, "WHERE s.id = $id", cancellationToken, ("$id", id)))[0].Item,
        cancellationToken);

    public async Task<Speaker?> GetSpeakerAsync(string id, CancellationToken cancellationToken) =>
        (await GetSpeakersAsync([id], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<Speaker>> GetSpeakersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await ReadAsync(connection => QuerySpeakersAsync(connection,
            "WHERE s.id IN (SELECT value FROM json_each($ids))", cancellationToken, ("$ids", ToJson(ids))), cancellationToken))
        .Select(s => s.Item).ToList();

    public async Task<IReadOnlyList<Sequenced<Speaker>>> ListSpeakersAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        await ReadAsync(connection => QuerySpeakersAsync(connection, "WHERE s.seq > $after ORDER BY s.seq LIMIT $limit",
            cancellationToken, ("$after", afterSequence), ("$limit", limit)), cancellationToken);

    public Task<Speaker> UpdateSpeakerAsync(Speaker speaker, long expectedVersion, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var (before, seq) = CheckVersion(
                (await QuerySpeakersAsync(connection, "WHERE s.id = $id", cancellationToken, ("$id", speaker.Id))).SingleOrDefault(),
                s => s.Version, expectedVersion, ResourceNames.Speaker(speaker.Id));
            var now = Now();
            var updated = speaker with { CreateTime = before.CreateTime, UpdateTime = now, Version = expectedVersion + 1 };
            await EnsureWikidataIdFreeAsync(connection, updated, cancellationToken);
            await connection.ExecuteAsync(
                """
                UPDATE speakers SET display_name = $display_name, kind = $kind, aliases_json = $aliases_json, roles_json = $roles_json,
                    wikidata_id = $wikidata_id, description = $description, update_time = $update_time, version = $version
                WHERE seq = $seq
                """, cancellationToken, [.. SpeakerParameters(updated), ("$seq", seq)]);
            await WriteNameKeysAsync(connection, seq, updated, cancellationToken);
            await AppendAuditAsync(connection, audit, updated.ResourceName, AuditSnapshots.Of(before), AuditSnapshots.Of(updated), now,
                cancellationToken);
            return updated;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> FindSpeakerIdsByNameKeysAsync(IReadOnlyCollection<string> keys, int limit, CancellationToken cancellationToken) =>
        await ReadAsync(async connection =>
        {
            await using var command = connection.Command(
                """
                SELECT s.id FROM speakers s
                WHERE s.seq IN (SELECT k.speaker_seq FROM speaker_name_keys k WHERE k.key IN (SELECT value FROM json_each($keys)))
                ORDER BY s.seq LIMIT $limit
                """, ("$keys", ToJson(keys)), ("$limit", limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var ids = new List<string>();
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
            return ids;
        }, cancellationToken);

    private static async Task<List<Sequenced<Speaker>>> QuerySpeakersAsync(SqliteConnection connection, string whereAndOrder,
        CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = connection.Command($"SELECT {SpeakerColumns} FROM speakers s {whereAndOrder}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var speakers = new List<Sequenced<Speaker>>();
        while (await reader.ReadAsync(cancellationToken)) speakers.Add(ReadSpeaker(reader));
        return speakers;
    }

    private static async Task EnsureWikidataIdFreeAsync(SqliteConnection connection, Speaker speaker, CancellationToken cancellationToken)
    {
        if (speaker.WikidataId is null) return;
        if (await connection.ScalarAsync("SELECT id FROM speakers WHERE wikidata_id = $wikidata_id AND id <> $id", cancellationToken,
                ("$wikidata_id", speaker.WikidataId), ("$id", speaker.Id)) is string holder)
        {
            var holderName = ResourceNames.Speaker(holder);
            throw new AlreadyExistsException(holderName, $"{holderName} already has Wikidata id {speaker.WikidataId}");
        }
    }

    private static async Task WriteNameKeysAsync(SqliteConnection connection, long seq, Speaker speaker, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("DELETE FROM speaker_name_keys WHERE speaker_seq = $seq", cancellationToken, ("$seq", seq));
        await connection.ExecuteAsync(
            "INSERT OR IGNORE INTO speaker_name_keys (key, speaker_seq) SELECT value, $seq FROM json_each($keys)",
            cancellationToken, ("$seq", seq), ("$keys", ToJson(SpeakerNameKeys.For(speaker))));
    }

    // ---- Claims ----

    /// <remarks>A retried request returns the claim it created as stored now, even if it has since been deleted:
    /// the retry must not create it again, and that is what the original request created.</remarks>
    public Task<Claim> CreateClaimAsync(Claim claim, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken) =>
        CreateAsync(ResourceNames.ClaimsCollection, claim.Id, idempotency,
            async connection => (await InsertClaimsAsync(connection, [claim], audit, cancellationToken))[0],
            async (connection, id) => (await QueryClaimsAsync(connection, $"SELECT {ClaimColumns} FROM claims c WHERE c.id = $id",
                cancellationToken, ("$id", id)))[0].Claim, cancellationToken);

    public Task<bool> ImportClaimsAsync(IReadOnlyList<Claim> claims, IdempotencyKey? idempotency, AuditContext audit,
        CancellationToken cancellationToken) =>
        CreateAsync(ResourceNames.ClaimImportsCollection, claims[0].Id, idempotency, async connection =>
        {
            await InsertClaimsAsync(connection, claims, audit, cancellationToken);
            return true;
        }, (_, _) => Task.FromResult(false), cancellationToken);

    /// <summary>
    /// Inserts new claims with their appearances, shingles and audit events, in the caller's write transaction. Each
    /// statement is compiled once and rebound per row (the command keeps its compiled statement between executions),
    /// the chain head is read once, and the shingle keys go in together, in key order (<see cref="ShingleIndex.InsertAsync"/>).
    /// </summary>
    private async Task<List<Claim>> InsertClaimsAsync(SqliteConnection connection, IReadOnlyList<Claim> claims, AuditContext audit,
        CancellationToken cancellationToken)
    {
        var now = Now();
        await EnsureSpeakersExistAsync(connection, claims.Select(c => c.SpeakerId).OfType<string>().Distinct().ToList(), cancellationToken);
        await using var insertClaim = connection.Command(
            """
            INSERT INTO claims (id, speaker_id, attributed_to, text, kind, said_on, sort_day, context, language_code,
                attribution_confidence, status, create_time, update_time, version)
            VALUES ($id, $speaker_id, $attributed_to, $text, $kind, $said_on, $sort_day, $context, $language_code,
                $attribution_confidence, $status, $create_time, $update_time, $version)
            RETURNING seq
            """);
        await using var insertAppearance = connection.Command(InsertAppearanceSql);
        await using var auditLog = await AuditAppender.StartAsync(connection, cancellationToken);
        var created = new List<(Claim Claim, long Seq)>(claims.Count);
        foreach (var claim in claims)
        {
            var stored = WithMicrosecondTimes(claim) with { CreateTime = now, UpdateTime = now, Version = 1 };
            var seq = (long)(await insertClaim.Bind(ClaimParameters(stored)).ExecuteScalarAsync(cancellationToken))!;
            for (var position = 0; position < stored.Appearances.Count; position++)
                await insertAppearance.Bind(AppearanceParameters(seq, position, stored.Appearances[position])).ExecuteNonQueryAsync(cancellationToken);
            await auditLog.AppendAsync(audit, stored.ResourceName, null, AuditSnapshots.Of(stored), now, cancellationToken);
            created.Add((stored, seq));
        }
        await ShingleIndex.InsertAsync(connection, created.Select(c => (c.Seq, c.Claim.Text)), cancellationToken);
        return created.Select(c => c.Claim).ToList();
    }

    public async Task<Claim?> GetClaimAsync(string id, CancellationToken cancellationToken) =>
        (await GetClaimsAsync([id], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<Claim>> GetClaimsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await ReadAsync(connection => QueryClaimsAsync(connection,
            $"SELECT {ClaimColumns} FROM claims c WHERE c.id IN (SELECT value FROM json_each($ids)) AND c.delete_time IS NULL",
            cancellationToken, ("$ids", ToJson(ids))), cancellationToken))
        .Select(row => row.Claim).ToList();

    public async Task<IReadOnlyList<Sequenced<Claim>>> ListClaimsAsync(ClaimFilter filter, ClaimCursor? after, int limit, CancellationToken cancellationToken)
    {
        var (sql, parameters) = ListClaimsQuery(filter, after, limit);
        return (await ReadAsync(connection => QueryClaimsAsync(connection, sql, cancellationToken, parameters), cancellationToken))
            .Select(row => new Sequenced<Claim>(row.Claim, row.Seq)).ToList();
    }

    /// <summary>
    /// The listing query: the fixed filter fragments that apply, newest first by (sort day, seq). EXPLAIN QUERY PLAN
    /// with a cursor (bundled SQLite 3.53; checked by SqliteStoreTests):
    /// <code>
    /// by speaker:     SEARCH c USING INDEX claims_by_speaker (speaker_id=? AND sort_day&lt;?)
    /// by publication: SEARCH c USING INDEX claims_by_day (sort_day&lt;?)
    ///                 SEARCH a EXISTS USING COVERING INDEX appearances_by_publication (publication_folded=? AND claim_seq=?)
    /// </code>
    /// ("&lt;" on the DESC column means: from the cursor towards older.) No "USE TEMP B-TREE FOR ORDER BY": the index
    /// order is the listing order, so a page reads only its own rows however deep it is. A rare publication is the
    /// slow case (the walk skips non-matching claims); the other filters are cheap row checks on the same walk.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) ListClaimsQuery(ClaimFilter filter, ClaimCursor? after, int limit)
    {
        // The literal "delete_time IS NULL" is what lets SQLite use the partial indexes.
        var conditions = new List<string> { "c.delete_time IS NULL" };
        var parameters = new List<(string, object?)> { ("$limit", limit) };
        void Where(string condition, params (string, object?)[] values)
        {
            conditions.Add(condition);
            parameters.AddRange(values);
        }

        if (filter.SpeakerId is { } speakerId) Where("c.speaker_id = $speaker_id", ("$speaker_id", speakerId));
        if (filter.Publication is { } publication)
            Where("EXISTS (SELECT 1 FROM appearances a WHERE a.publication_folded = $publication AND a.claim_seq = c.seq)",
                ("$publication", FoldPublication(publication)));
        if (filter.SaidOnOrAfter is { } from) Where("c.said_on >= $said_from", ("$said_from", from.DayNumber));
        if (filter.SaidOnOrBefore is { } to) Where("c.said_on <= $said_to", ("$said_to", to.DayNumber));
        if (filter.Status is { } status) Where("c.status = $status", ("$status", (int)status));
        if (filter.Kind is { } kind) Where("c.kind = $kind", ("$kind", (int)kind));
        if (after is not null)
            // (sort_day, seq) < (day, seq), written so "sort_day <= day" bounds the index range; the OR alone would
            // make SQLite scan from the newest entry and filter.
            Where("c.sort_day <= $after_day AND (c.sort_day < $after_day OR c.seq < $after_seq)",
                ("$after_day", after.SortDay.DayNumber), ("$after_seq", after.Sequence));

        return ($"SELECT {ClaimColumns} FROM claims c WHERE {string.Join(" AND ", conditions)} ORDER BY c.sort_day DESC, c.seq DESC LIMIT $limit",
            parameters.ToArray());
    }

    public Task<Claim> UpdateClaimAsync(Claim claim, long expectedVersion, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var (before, seq) = CheckVersion(await GetLiveClaimAsync(connection, claim.Id, cancellationToken), c => c.Version,
                expectedVersion, ResourceNames.Claim(claim.Id));
            var now = Now();
            // The stored create time, not the caller's: it can decide the sort day.
            var updated = WithMicrosecondTimes(claim) with { CreateTime = before.CreateTime, UpdateTime = now, Version = expectedVersion + 1 };
            if (updated.SpeakerId is { } speakerId) await EnsureSpeakersExistAsync(connection, [speakerId], cancellationToken);
            await connection.ExecuteAsync(
                """
                UPDATE claims SET speaker_id = $speaker_id, attributed_to = $attributed_to, text = $text, kind = $kind,
                    said_on = $said_on, sort_day = $sort_day, context = $context, language_code = $language_code,
                    attribution_confidence = $attribution_confidence, status = $status, update_time = $update_time, version = $version
                WHERE seq = $seq
                """, cancellationToken, [.. ClaimParameters(updated), ("$seq", seq)]);
            await WriteAppearancesAsync(connection, seq, updated.Appearances, cancellationToken);
            if (updated.Text != before.Text) await ShingleIndex.WriteAsync(connection, seq, updated.Text, cancellationToken);
            await AppendAuditAsync(connection, audit, updated.ResourceName, AuditSnapshots.Of(before), AuditSnapshots.Of(updated), now,
                cancellationToken);
            return updated;
        }, cancellationToken);

    public Task DeleteClaimAsync(string id, long expectedVersion, DateTimeOffset deleteTime, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var (before, seq) = CheckVersion(await GetLiveClaimAsync(connection, id, cancellationToken), c => c.Version, expectedVersion,
                ResourceNames.Claim(id));
            // The claims_fts_update trigger takes the claim out of the search index.
            await connection.ExecuteAsync(
                "UPDATE claims SET delete_time = $delete_time, update_time = $delete_time, version = version + 1 WHERE seq = $seq",
                cancellationToken, ("$delete_time", ToMicros(deleteTime)), ("$seq", seq));
            await ShingleIndex.DeleteAsync(connection, seq, cancellationToken);
            await AppendAuditAsync(connection, audit, before.ResourceName, AuditSnapshots.Of(before), null, Now(), cancellationToken);
            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<(string ClaimId, int Shared)>> FindClaimsByShinglesAsync(IReadOnlyCollection<long> shingles, int limit,
        CancellationToken cancellationToken)
    {
        if (shingles.Count == 0) return [];
        var (sql, parameters) = FindClaimsByShinglesQuery(shingles, limit);
        return await ReadAsync(async connection =>
        {
            await using var command = connection.Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var found = new List<(string, int)>();
            while (await reader.ReadAsync(cancellationToken)) found.Add((reader.GetString(0), reader.GetInt32(1)));
            return found;
        }, cancellationToken);
    }

    /// <summary>
    /// One JSON array parameter however many keys (no statement-size or parameter-count limit, no chunking). For each
    /// key, <c>claims</c> counts the claims having it, stopping one past <see cref="QuoteShingles.MaxClaimsReadPerKey"/>;
    /// only rare keys are then read, or, when there is none, each key's newest claims, above the <c>floor</c> found by
    /// stepping that far down the primary key. Every step is bounded, so a look-up's cost does not grow with the
    /// record however common its keys. MATERIALIZED makes the per-key subqueries run once per key: inlined, SQLite ran
    /// them again for every joined row (333 ms instead of 9 ms per look-up on 5,000 templated claims). Plan (checked
    /// by SqliteStoreTests): <c>SEARCH s USING PRIMARY KEY (shingle=? AND claim_seq&gt;?)</c> per key, then the claim
    /// by rowid. Deleted claims have no keys; the delete_time condition is a safeguard.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) FindClaimsByShinglesQuery(IReadOnlyCollection<long> shingles, int limit) =>
        ("""
         WITH q AS MATERIALIZED (
             SELECT k.value AS shingle,
                 (SELECT count(*) FROM (SELECT 1 FROM claim_shingles x WHERE x.shingle = k.value LIMIT $per_key + 1)) AS claims
             FROM json_each($shingles) k),
         used AS MATERIALIZED (
             SELECT q.shingle, q.claims,
                 CASE WHEN q.claims > $per_key THEN (SELECT x.claim_seq FROM claim_shingles x WHERE x.shingle = q.shingle
                                                     ORDER BY x.claim_seq DESC LIMIT 1 OFFSET $per_key) ELSE 0 END AS floor
             FROM q
             WHERE q.claims BETWEEN 1 AND $per_key OR NOT EXISTS (SELECT 1 FROM q WHERE q.claims BETWEEN 1 AND $per_key))
         SELECT c.id, count(*) AS shared, sum(CASE WHEN u.claims > $per_key THEN 0 ELSE 1000000 / u.claims END) AS weight
         FROM used u JOIN claim_shingles s ON s.shingle = u.shingle AND s.claim_seq > u.floor
         JOIN claims c ON c.seq = s.claim_seq
         WHERE c.delete_time IS NULL
         GROUP BY c.seq ORDER BY weight DESC, shared DESC, c.seq DESC LIMIT $limit
         """, [("$shingles", ToJson(shingles.Distinct())), ("$limit", limit), ("$per_key", QuoteShingles.MaxClaimsReadPerKey)]);

    public async Task<IReadOnlyList<ScoredClaim>> SearchClaimsAsync(IReadOnlyList<string> terms, string? speakerId, int offset, int limit,
        CancellationToken cancellationToken)
    {
        if (terms.Count == 0) return [];
        // Each term is a quoted phrase, so FTS5 operators in it (AND, NEAR, *, :) are just text; phrases side by side
        // must all match.
        var match = string.Join(' ', terms.Select(term => '"' + term.Replace("\"", "\"\"") + '"'));
        // FTS5 walks the matches newest first (rowid order) and stops at the window, so only the window is scored.
        var rows = await ReadAsync(connection => QueryClaimsAsync(connection,
            $"""
            WITH recent AS MATERIALIZED (
                SELECT claims_fts.rowid AS seq, bm25(claims_fts) AS score FROM claims_fts JOIN claims c ON c.seq = claims_fts.rowid
                WHERE claims_fts MATCH $match AND c.delete_time IS NULL AND ($speaker_id IS NULL OR c.speaker_id = $speaker_id)
                ORDER BY claims_fts.rowid DESC LIMIT $window)
            SELECT {ClaimColumns}, recent.score FROM recent JOIN claims c ON c.seq = recent.seq
            ORDER BY recent.score, c.seq DESC LIMIT $limit OFFSET $offset
            """, cancellationToken, ("$match", match), ("$speaker_id", speakerId), ("$window", Limits.SearchWindow), ("$limit", limit),
            ("$offset", offset)), cancellationToken);
        // bm25 is lower for better matches; the interface wants higher = more relevant.
        return rows.Select(row => new ScoredClaim(row.Claim, -row.Rank)).ToList();
    }

    /// <summary>The claim, with its appearances, unless it is missing or deleted.</summary>
    private static async Task<(Claim Claim, long Seq)?> GetLiveClaimAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        (await QueryClaimsAsync(connection, $"SELECT {ClaimColumns} FROM claims c WHERE c.id = $id AND c.delete_time IS NULL",
            cancellationToken, ("$id", id))).Select(row => ((Claim, long)?)(row.Claim, row.Seq)).SingleOrDefault();

    /// <summary>
    /// Runs a query selecting <see cref="ClaimColumns"/> (optionally followed by a rank column) and attaches the
    /// appearances of all its claims with one more query, not one per claim.
    /// </summary>
    private static async Task<List<(Claim Claim, long Seq, double Rank)>> QueryClaimsAsync(SqliteConnection connection, string sql,
        CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var rows = new List<(Claim Claim, long Seq, double Rank)>();
        await using (var command = connection.Command(sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((ReadClaim(reader), reader.GetInt64(0), reader.FieldCount > ClaimColumnCount ? reader.GetDouble(ClaimColumnCount) : 0));
        if (rows.Count == 0) return rows;

        var appearances = new Dictionary<long, List<Appearance>>();
        await using (var command = connection.Command(
            $"SELECT {AppearanceColumns} FROM appearances WHERE claim_seq IN (SELECT value FROM json_each($seqs)) ORDER BY claim_seq, position",
            ("$seqs", ToJson(rows.Select(row => row.Seq)))))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var (seq, appearance) = ReadAppearance(reader);
                (appearances.TryGetValue(seq, out var list) ? list : appearances[seq] = []).Add(appearance);
            }
        return rows.Select(row => row with { Claim = row.Claim with { Appearances = appearances.GetValueOrDefault(row.Seq) ?? [] } }).ToList();
    }

    private const string InsertAppearanceSql =
        """
        INSERT INTO appearances (claim_seq, position, url, publication, publication_folded, title, publish_time, credited_outlets_json, quoted_sentence)
        VALUES ($claim_seq, $position, $url, $publication, $publication_folded, $title, $publish_time, $credited_outlets_json, $quoted_sentence)
        """;

    private static async Task WriteAppearancesAsync(SqliteConnection connection, long claimSeq, IReadOnlyList<Appearance> appearances,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("DELETE FROM appearances WHERE claim_seq = $claim_seq", cancellationToken, ("$claim_seq", claimSeq));
        await using var insert = connection.Command(InsertAppearanceSql);
        for (var position = 0; position < appearances.Count; position++)
            await insert.Bind(AppearanceParameters(claimSeq, position, appearances[position])).ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>NOT_FOUND naming the first of <paramref name="speakerIds"/> that is not stored, in one query. The domain
    /// checks first; this keeps the store's own contract (a claim never refers to a missing speaker).</summary>
    private static async Task EnsureSpeakersExistAsync(SqliteConnection connection, IReadOnlyCollection<string> speakerIds,
        CancellationToken cancellationToken)
    {
        if (speakerIds.Count > 0 && await connection.ScalarAsync(
                "SELECT value FROM json_each($ids) WHERE value NOT IN (SELECT id FROM speakers) LIMIT 1",
                cancellationToken, ("$ids", ToJson(speakerIds))) is string missing)
            throw new NotFoundException(ResourceNames.Speaker(missing));
    }

    // ---- Reviews ----

    public Task<(Review Review, Claim Claim)> AddReviewAsync(Review review, AuditContext audit, CancellationToken cancellationToken)
    {
        var status = Review.StatusFor(review.Verdict); // before the transaction: an invalid verdict writes nothing
        return WriteAsync(async connection =>
        {
            var (before, claimSeq) = await GetLiveClaimAsync(connection, review.ClaimId, cancellationToken)
                ?? throw new NotFoundException(ResourceNames.Claim(review.ClaimId));
            var now = Now();
            var stored = review with
            {
                CreateTime = now,
                SupersedesId = (string?)await connection.ScalarAsync(
                    "SELECT id FROM reviews WHERE claim_seq = $claim_seq ORDER BY seq DESC LIMIT 1", cancellationToken, ("$claim_seq", claimSeq)),
            };
            await connection.ExecuteAsync(
                """
                INSERT INTO reviews (id, claim_seq, reviewer, verdict, explanation, evidence_urls_json, create_time, supersedes_id)
                VALUES ($id, $claim_seq, $reviewer, $verdict, $explanation, $evidence_urls_json, $create_time, $supersedes_id)
                """, cancellationToken, ReviewParameters(stored, claimSeq));
            var reviewed = before with { Status = status, UpdateTime = now, Version = before.Version + 1 };
            await connection.ExecuteAsync("UPDATE claims SET status = $status, update_time = $update_time, version = $version WHERE seq = $seq",
                cancellationToken, ("$status", (int)reviewed.Status), ("$update_time", ToMicros(now)), ("$version", reviewed.Version),
                ("$seq", claimSeq));
            await using var auditLog = await AuditAppender.StartAsync(connection, cancellationToken);
            await auditLog.AppendAsync(audit with { Action = AuditActions.ReviewCreate }, stored.ResourceName, null,
                AuditSnapshots.Of(stored), now, cancellationToken);
            await auditLog.AppendAsync(audit with { Action = AuditActions.ClaimUpdate }, reviewed.ResourceName,
                AuditSnapshots.Of(before), AuditSnapshots.Of(reviewed), now, cancellationToken);
            return (stored, reviewed);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Sequenced<Review>>> ListReviewsAsync(string claimId, long afterSequence, int limit,
        CancellationToken cancellationToken) =>
        await ReadAsync(async connection =>
        {
            // Newest first: "after" the cursor means an older (lower) seq; reviews_by_claim walks backwards from it.
            await using var command = connection.Command(
                $"""
                SELECT {ReviewColumns} FROM reviews r JOIN claims c ON c.seq = r.claim_seq
                WHERE r.claim_seq = (SELECT seq FROM claims WHERE id = $claim_id) AND r.seq < $before
                ORDER BY r.seq DESC LIMIT $limit
                """, ("$claim_id", claimId), ("$before", afterSequence == 0 ? long.MaxValue : afterSequence), ("$limit", limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var reviews = new List<Sequenced<Review>>();
            while (await reader.ReadAsync(cancellationToken)) reviews.Add(ReadReview(reader));
            return reviews;
        }, cancellationToken);

    // ---- Audit log ----

    public async Task<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AuditFilter filter, long afterSequence, int limit,
        CancellationToken cancellationToken)
    {
        var (sql, parameters) = ListAuditEventsQuery(filter, afterSequence, limit);
        return await ReadAsync(async connection =>
        {
            await using var command = connection.Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var events = new List<AuditEvent>();
            while (await reader.ReadAsync(cancellationToken)) events.Add(ReadAuditEvent(reader));
            return events;
        }, cancellationToken);
    }

    /// <summary>The fixed fragments of the filters that apply, in log order from the cursor. Each of resource,
    /// principal and action has an index on (column, seq), so such a page is one index range.</summary>
    internal static (string Sql, (string, object?)[] Parameters) ListAuditEventsQuery(AuditFilter filter, long afterSequence, int limit)
    {
        var conditions = new List<string> { "seq > $after" };
        var parameters = new List<(string, object?)> { ("$after", afterSequence), ("$limit", limit) };
        void Where(string condition, string name, object value)
        {
            conditions.Add(condition);
            parameters.Add((name, value));
        }

        if (filter.ResourceName is { } resourceName) Where("resource_name = $resource_name", "$resource_name", resourceName);
        if (filter.Principal is { } principal) Where("principal = $principal", "$principal", principal);
        if (filter.Action is { } action) Where("action = $action", "$action", action);
        // Stored times are whole microseconds, so rounding both bounds up keeps "time >= From" and "time < To" exact.
        if (filter.From is { } from) Where("time >= $from", "$from", CeilingMicros(from));
        if (filter.To is { } to) Where("time < $to", "$to", CeilingMicros(to));

        return ($"SELECT {AuditEventColumns} FROM audit_events WHERE {string.Join(" AND ", conditions)} ORDER BY seq LIMIT $limit",
            parameters.ToArray());
    }

    /// <remarks>One statement, so one consistent snapshot of the log however long the caller takes to read it (WAL
    /// readers do not block writers); events are read one at a time, never all held in memory.</remarks>
    public async IAsyncEnumerable<AuditEvent> ReadAuditLogAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(forWrite: false, cancellationToken);
        await using var command = connection.Command($"SELECT {AuditEventColumns} FROM audit_events ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return ReadAuditEvent(reader);
    }

    private static async Task AppendAuditAsync(SqliteConnection connection, AuditContext audit, string resourceName, string? before,
        string? after, DateTimeOffset time, CancellationToken cancellationToken)
    {
        await using var auditLog = await AuditAppender.StartAsync(connection, cancellationToken);
        await auditLog.AppendAsync(audit, resourceName, before, after, time, cancellationToken);
    }

    // ---- API keys ----

    public Task<ApiKey> CreateApiKeyAsync(ApiKey key, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var now = Now();
            var created = key with { CreateTime = now, RevokeTime = key.RevokeTime is { } t ? TruncateToMicros(t) : null };
            try
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO api_keys (id, principal, roles, secret_hash, description, create_time, revoke_time)
                    VALUES ($id, $principal, $roles, $secret_hash, $description, $create_time, $revoke_time)
                    """, cancellationToken, ApiKeyParameters(created));
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
            {
                // Ids and secrets are random: only a caller reusing one gets here.
                throw new AlreadyExistsException(created.ResourceName, $"{created.ResourceName} or its secret already exists");
            }
            await AppendAuditAsync(connection, audit, created.ResourceName, null, AuditSnapshots.Of(created), now, cancellationToken);
            return created;
        }, cancellationToken);

    public async Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        (await ReadAsync(connection => QueryApiKeysAsync(connection, "WHERE secret_hash = $secret_hash", cancellationToken,
            ("$secret_hash", secretHash)), cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken) =>
        await ReadAsync(connection => QueryApiKeysAsync(connection, "ORDER BY create_time, rowid", cancellationToken), cancellationToken);

    public Task<ApiKey> RevokeApiKeyAsync(string id, DateTimeOffset revokeTime, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var before = (await QueryApiKeysAsync(connection, "WHERE id = $id", cancellationToken, ("$id", id))).SingleOrDefault()
                ?? throw new NotFoundException($"apiKeys/{id}");
            if (before.RevokeTime is not null) return before; // revoked already: nothing changes, nothing is audited
            var revoked = before with { RevokeTime = TruncateToMicros(revokeTime) };
            await connection.ExecuteAsync("UPDATE api_keys SET revoke_time = $revoke_time WHERE id = $id", cancellationToken,
                ("$revoke_time", ToMicros(revoked.RevokeTime.Value)), ("$id", id));
            await AppendAuditAsync(connection, audit, revoked.ResourceName, AuditSnapshots.Of(before), AuditSnapshots.Of(revoked), Now(),
                cancellationToken);
            return revoked;
        }, cancellationToken);

    private static async Task<List<ApiKey>> QueryApiKeysAsync(SqliteConnection connection, string whereOrOrder,
        CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = connection.Command($"SELECT {ApiKeyColumns} FROM api_keys {whereOrOrder}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(ReadApiKey(reader));
        return keys;
    }

    // ---- Installation ----

    public Task PingAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => connection.ScalarAsync("SELECT count(*) FROM schema_migrations", cancellationToken), cancellationToken);

    public async Task<byte[]> GetInstallationSecretAsync(CancellationToken cancellationToken)
    {
        // Written once and never changed, so it is cached; callers get a copy they cannot alter the cache through.
        installationSecret ??= await WriteAsync(async connection =>
        {
            // Insert-or-ignore, then read: whichever instance got there first, every one returns the same secret.
            await connection.ExecuteAsync("INSERT INTO installation (key, value) VALUES ($key, $value) ON CONFLICT DO NOTHING",
                cancellationToken, ("$key", InstallationSecretKey), ("$value", RandomNumberGenerator.GetBytes(32)));
            return (byte[])(await connection.ScalarAsync("SELECT value FROM installation WHERE key = $key", cancellationToken,
                ("$key", InstallationSecretKey)))!;
        }, cancellationToken);
        return installationSecret.ToArray();
    }

    // ---- Transactions ----

    /// <summary>
    /// Inserts a new resource, or for a request id seen before returns what that request created (AIP-155). The
    /// look-up and the insert share one write transaction, so two concurrent retries cannot both insert.
    /// </summary>
    private Task<T> CreateAsync<T>(string collection, string id, IdempotencyKey? idempotency, Func<SqliteConnection, Task<T>> insert,
        Func<SqliteConnection, string, Task<T>> loadExisting, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (idempotency is null) return await insert(connection);

            if (await FindEarlierRequestAsync(connection, idempotency.RequestId, cancellationToken) is { } earlier)
            {
                if (earlier.Collection != collection || earlier.Fingerprint != idempotency.Fingerprint)
                    throw new AlreadyExistsException($"{earlier.Collection}/{earlier.ResourceId}",
                        $"request_id '{idempotency.RequestId}' was already used for a different request");
                // Resources are never hard-deleted, so the row is there.
                return await loadExisting(connection, earlier.ResourceId);
            }

            var created = await insert(connection);
            await connection.ExecuteAsync(
                """
                INSERT INTO idempotency (request_id, resource_kind, fingerprint, resource_id, create_time)
                VALUES ($request_id, $resource_kind, $fingerprint, $resource_id, $create_time)
                """, cancellationToken, ("$request_id", idempotency.RequestId), ("$resource_kind", collection),
                ("$fingerprint", idempotency.Fingerprint), ("$resource_id", id), ("$create_time", ToMicros(clock.GetUtcNow())));
            return created;
        }, cancellationToken);

    private static async Task<(string Collection, string Fingerprint, string ResourceId)?> FindEarlierRequestAsync(
        SqliteConnection connection, string requestId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            "SELECT resource_kind, fingerprint, resource_id FROM idempotency WHERE request_id = $request_id", ("$request_id", requestId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>
    /// Checks the row read to be changed: a missing row is NOT_FOUND, another version a conflict. Read inside the
    /// write transaction, nothing can change the row between this check and the caller's UPDATE; the row read is
    /// also the audit event's Before.
    /// </summary>
    private static (T Item, long Seq) CheckVersion<T>((T Item, long Seq)? row, Func<T, long> version, long expectedVersion, string resourceName)
    {
        if (row is not { } found) throw new NotFoundException(resourceName);
        if (version(found.Item) != expectedVersion) throw new VersionConflictException(resourceName);
        return found;
    }

    private static (T Item, long Seq) CheckVersion<T>(Sequenced<T>? row, Func<T, long> version, long expectedVersion, string resourceName) =>
        CheckVersion(row is null ? null : ((T, long)?)(row.Item, row.Sequence), version, expectedVersion, resourceName);

    /// <summary>
    /// One write transaction. SQLite has a single writer: writers in this process queue on the semaphore, and
    /// BEGIN IMMEDIATE takes the file's write lock up front (waiting on busy_timeout for other processes), so a
    /// transaction never has to upgrade a read lock midway, which fails with SQLITE_BUSY instead of waiting.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenConnectionAsync(forWrite: true, cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>A read in a deferred (read-only) transaction, so its statements (claims, then their appearances)
    /// all see one snapshot even while writes commit.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(forWrite: false, cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await read(connection);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(bool forWrite, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(forWrite ? writeConnectionString : connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(forWrite ? $"{connectionPragmas} PRAGMA cache_size = -{WriterCacheKibibytes};" : connectionPragmas,
                cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private DateTimeOffset Now() => TruncateToMicros(clock.GetUtcNow());
}
