using System.Data;
using System.Security.Cryptography;
using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;
using FactCheck.Core.Verification;
using Npgsql;
using static FactCheck.Core.Storage.StoredValues;
using static FactCheck.Storage.Postgres.PostgresCommands;
using static FactCheck.Storage.Postgres.Rows;

namespace FactCheck.Storage.Postgres;

/// <summary>
/// The production store: one PostgreSQL database shared by any number of server instances, through a pool of
/// connections per store. Every change is one transaction; what the single-writer SQLite store gets from serialized
/// writes, this one gets from row locks, the unique index on request ids and advisory locks, so that concurrent
/// instances see the same behaviour. Every change appends its audit events in its own transaction (see
/// <see cref="AppendAuditAsync"/>); the audit log, reviews and API keys are in the other parts of this class.
/// </summary>
public sealed partial class PostgresFactStore : IFactStore, IAsyncDisposable
{
    private const string InstallationSecretKey = "installation_secret";

    private readonly NpgsqlDataSource dataSource;
    private readonly TimeProvider clock;
    private byte[]? installationSecret;

    private PostgresFactStore(NpgsqlDataSource dataSource, TimeProvider clock)
    {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /// <summary>Connects to the (existing) database and brings its schema up to date.</summary>
    public static async Task<PostgresFactStore> OpenAsync(PostgresStoreOptions options, TimeProvider clock, CancellationToken ct)
    {
        var dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        try
        {
            await SchemaMigrations.ApplyAsync(dataSource, clock, ct);
            return new PostgresFactStore(dataSource, clock);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the pooled connections.</summary>
    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    // ---- Speakers ----

    public Task<Speaker> CreateSpeakerAsync(Speaker speaker, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken) =>
        CreateAsync(ResourceNames.SpeakersCollection, speaker.Id, idempotency, async connection =>
        {
            var now = Now();
            var created = speaker with { CreateTime = now, UpdateTime = now, Version = 1 };
            await EnsureWikidataIdFreeAsync(connection, created, cancellationToken);
            var seq = (long)(await connection.ScalarAsync(
                """
                INSERT INTO speakers (id, display_name, kind, aliases, roles, wikidata_id, description, create_time, update_time, version)
                VALUES (@id, @display_name, @kind, @aliases::jsonb, @roles::jsonb, @wikidata_id, @description, @create_time, @update_time, @version)
                RETURNING seq
                """, cancellationToken, SpeakerParameters(created)))!;
            await WriteNameKeysAsync(connection, seq, created, cancellationToken);
            await AppendAuditAsync(connection, [Draft(audit, audit.Action, created.ResourceName, null, created)], cancellationToken);
            return created;
        }, async (connection, id) => (await QuerySpeakersAsync(connection, "WHERE s.id = @id", cancellationToken, ("id", id)))[0].Item,
        cancellationToken);

    public async Task<Speaker?> GetSpeakerAsync(string id, CancellationToken cancellationToken) =>
        (await GetSpeakersAsync([id], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<Speaker>> GetSpeakersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await ReadAsync(connection => QuerySpeakersAsync(connection, "WHERE s.id = ANY(@ids)", cancellationToken, ("ids", ids.ToArray())),
            cancellationToken))
        .Select(s => s.Item).ToList();

    public async Task<IReadOnlyList<Sequenced<Speaker>>> ListSpeakersAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        await ReadAsync(connection => QuerySpeakersAsync(connection, "WHERE s.seq > @after ORDER BY s.seq LIMIT @limit",
            cancellationToken, ("after", afterSequence), ("limit", limit)), cancellationToken);

    public Task<Speaker> UpdateSpeakerAsync(Speaker speaker, long expectedVersion, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var (stored, seq) = await LockSpeakerAsync(connection, speaker.Id, expectedVersion, cancellationToken);
            var updated = speaker with { CreateTime = stored.CreateTime, UpdateTime = Now(), Version = expectedVersion + 1 };
            await EnsureWikidataIdFreeAsync(connection, updated, cancellationToken);
            await connection.ExecuteAsync(
                """
                UPDATE speakers SET display_name = @display_name, kind = @kind, aliases = @aliases::jsonb, roles = @roles::jsonb,
                    wikidata_id = @wikidata_id, description = @description, update_time = @update_time, version = @version
                WHERE seq = @seq
                """, cancellationToken, [.. SpeakerParameters(updated), ("seq", seq)]);
            await WriteNameKeysAsync(connection, seq, updated, cancellationToken);
            await AppendAuditAsync(connection, [Draft(audit, audit.Action, updated.ResourceName, stored, updated)], cancellationToken);
            return updated;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> FindSpeakerIdsByNameKeysAsync(IReadOnlyCollection<string> keys, int limit, CancellationToken cancellationToken) =>
        await ReadAsync(async connection =>
        {
            await using var command = connection.Command(
                """
                SELECT s.id FROM speakers s
                WHERE s.seq IN (SELECT k.speaker_seq FROM speaker_name_keys k WHERE k.key = ANY(@keys))
                ORDER BY s.seq LIMIT @limit
                """, ("keys", keys.ToArray()), ("limit", limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var ids = new List<string>();
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
            return ids;
        }, cancellationToken);

    private static async Task<List<Sequenced<Speaker>>> QuerySpeakersAsync(NpgsqlConnection connection, string whereAndOrder,
        CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = connection.Command($"SELECT {SpeakerColumns} FROM speakers s {whereAndOrder}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var speakers = new List<Sequenced<Speaker>>();
        while (await reader.ReadAsync(cancellationToken)) speakers.Add(ReadSpeaker(reader));
        return speakers;
    }

    /// <summary>
    /// Fails naming the speaker that already has the Wikidata id. Transactions giving the same id away queue on an
    /// advisory lock first, so the later one's check sees the earlier one's commit and this check, not the unique
    /// constraint behind it, decides.
    /// </summary>
    private static async Task EnsureWikidataIdFreeAsync(NpgsqlConnection connection, Speaker speaker, CancellationToken cancellationToken)
    {
        if (speaker.WikidataId is null) return;
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@class, hashtext(@wikidata_id))", cancellationToken,
            ("class", (int)AdvisoryLocks.WikidataId), ("wikidata_id", speaker.WikidataId));
        if (await connection.ScalarAsync("SELECT id FROM speakers WHERE wikidata_id = @wikidata_id AND id <> @id", cancellationToken,
                ("wikidata_id", speaker.WikidataId), ("id", speaker.Id)) is string holder)
        {
            var holderName = ResourceNames.Speaker(holder);
            throw new AlreadyExistsException(holderName, $"{holderName} already has Wikidata id {speaker.WikidataId}");
        }
    }

    private static async Task WriteNameKeysAsync(NpgsqlConnection connection, long seq, Speaker speaker, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("DELETE FROM speaker_name_keys WHERE speaker_seq = @seq", cancellationToken, ("seq", seq));
        await connection.ExecuteAsync("INSERT INTO speaker_name_keys (key, speaker_seq) SELECT unnest(@keys), @seq",
            cancellationToken, ("seq", seq), ("keys", SpeakerNameKeys.For(speaker).ToArray()));
    }

    // ---- Claims ----

    /// <remarks>A retried request returns the claim it created as stored now, even if it has since been deleted:
    /// the retry must not create it again, and that is what the original request created.</remarks>
    public Task<Claim> CreateClaimAsync(Claim claim, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken) =>
        CreateAsync(ResourceNames.ClaimsCollection, claim.Id, idempotency,
            async connection => (await InsertClaimsAsync(connection, [claim], audit, cancellationToken))[0],
            // FOR SHARE: this write transaction reads statement by statement, so the row lock keeps an update from
            // committing between the claim and its appearances.
            async (connection, id) => (await QueryClaimsAsync(connection, $"SELECT {ClaimColumns} FROM claims c WHERE c.id = @id FOR SHARE",
                cancellationToken, ("id", id)))[0].Claim, cancellationToken);

    public Task<bool> ImportClaimsAsync(IReadOnlyList<Claim> claims, IdempotencyKey? idempotency, AuditContext audit,
        CancellationToken cancellationToken) =>
        CreateAsync(ResourceNames.ClaimImportsCollection, claims[0].Id, idempotency, async connection =>
        {
            await InsertClaimsAsync(connection, claims, audit, cancellationToken);
            return true;
        }, (_, _) => Task.FromResult(false), cancellationToken);

    /// <summary>
    /// Inserts new claims with their appearances, shingles and audit events, in the caller's write transaction, in
    /// four round trips however many claims: the speakers' check, the claims (returning their seqs), their appearances
    /// and shingles, and the audit events.
    /// </summary>
    private async Task<List<Claim>> InsertClaimsAsync(NpgsqlConnection connection, IReadOnlyList<Claim> claims, AuditContext audit,
        CancellationToken cancellationToken)
    {
        // Speakers are never hard-deleted, so a speaker seen here is still there at commit.
        var speakerIds = claims.Select(c => c.SpeakerId).OfType<string>().Distinct().ToArray();
        if (speakerIds.Length > 0 && await connection.ScalarAsync(
                "SELECT id FROM unnest(@ids) AS wanted(id) WHERE NOT EXISTS (SELECT 1 FROM speakers s WHERE s.id = wanted.id) LIMIT 1",
                cancellationToken, ("ids", speakerIds)) is string missing)
            throw new NotFoundException(ResourceNames.Speaker(missing));

        var now = Now();
        var created = claims.Select(claim => WithMicrosecondTimes(claim) with { CreateTime = now, UpdateTime = now, Version = 1 }).ToList();
        var seqs = new List<long>(created.Count);
        await using (var insertClaims = new NpgsqlBatch(connection))
        {
            foreach (var claim in created)
                insertClaims.BatchCommands.Add(BatchCommand(
                    """
                    INSERT INTO claims (id, speaker_id, attributed_to, text, search, kind, said_on, sort_day, context, language_code,
                        attribution_confidence, status, create_time, update_time, version)
                    VALUES (@id, @speaker_id, @attributed_to, @text, to_tsvector('simple', @search_text), @kind, @said_on, @sort_day, @context,
                        @language_code, @attribution_confidence, @status, @create_time, @update_time, @version)
                    RETURNING seq
                    """, ClaimParameters(claim)));
            await using var reader = await insertClaims.ExecuteReaderAsync(cancellationToken);
            do
                while (await reader.ReadAsync(cancellationToken)) seqs.Add(reader.GetInt64(0));
            while (await reader.NextResultAsync(cancellationToken));
        }

        await using (var insertDetails = new NpgsqlBatch(connection))
        {
            for (var i = 0; i < created.Count; i++)
            {
                for (var position = 0; position < created[i].Appearances.Count; position++)
                    insertDetails.BatchCommands.Add(BatchCommand(InsertAppearanceSql, AppearanceParameters(seqs[i], position, created[i].Appearances[position])));
                insertDetails.BatchCommands.Add(InsertShinglesCommand(seqs[i], created[i].Text));
            }
            await insertDetails.ExecuteNonQueryAsync(cancellationToken);
        }
        await AppendAuditAsync(connection, created.Select(c => Draft(audit, audit.Action, c.ResourceName, null, c)).ToList(), cancellationToken);
        return created;
    }

    public async Task<Claim?> GetClaimAsync(string id, CancellationToken cancellationToken) =>
        (await GetClaimsAsync([id], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<Claim>> GetClaimsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await ReadAsync(connection => QueryClaimsAsync(connection,
            $"SELECT {ClaimColumns} FROM claims c WHERE c.id = ANY(@ids) AND c.delete_time IS NULL",
            cancellationToken, ("ids", ids.ToArray())), cancellationToken))
        .Select(row => row.Claim).ToList();

    public async Task<IReadOnlyList<Sequenced<Claim>>> ListClaimsAsync(ClaimFilter filter, ClaimCursor? after, int limit, CancellationToken cancellationToken)
    {
        var (sql, parameters) = ListClaimsQuery(filter, after, limit);
        return (await ReadAsync(connection => QueryClaimsAsync(connection, sql, cancellationToken, parameters), cancellationToken))
            .Select(row => new Sequenced<Claim>(row.Claim, row.Seq)).ToList();
    }

    /// <summary>
    /// The listing query: the fixed filter fragments that apply, newest first by (sort day, seq). EXPLAIN with a
    /// cursor, on 20,000 claims (PostgreSQL 15; checked by PostgresStoreTests):
    /// <code>
    /// by speaker: Index Scan using claims_by_speaker on claims c
    ///               Index Cond: ((speaker_id = 'speaker7'::text) AND (ROW(sort_day, seq) &lt; ROW(738500, '1000'::bigint)))
    /// otherwise:  Index Scan using claims_by_day on claims c
    ///               Index Cond: (ROW(sort_day, seq) &lt; ROW(738500, '1000'::bigint))
    /// </code>
    /// No Sort node: the index order is the listing order and the row comparison bounds the index range, so a page
    /// reads only its own rows however deep it is. The other filters are checks on the same walk (a common
    /// publication: a semi join probing appearances per claim); for a rare publication the planner rather starts from
    /// appearances_by_publication and sorts the few matches.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) ListClaimsQuery(ClaimFilter filter, ClaimCursor? after, int limit)
    {
        // The literal "delete_time IS NULL" is what lets PostgreSQL use the partial indexes.
        var conditions = new List<string> { "c.delete_time IS NULL" };
        var parameters = new List<(string, object?)> { ("limit", limit) };
        void Where(string condition, params (string, object?)[] values)
        {
            conditions.Add(condition);
            parameters.AddRange(values);
        }

        if (filter.SpeakerId is { } speakerId) Where("c.speaker_id = @speaker_id", ("speaker_id", speakerId));
        if (filter.Publication is { } publication)
            Where("EXISTS (SELECT 1 FROM appearances a WHERE a.publication_folded = @publication AND a.claim_seq = c.seq)",
                ("publication", FoldPublication(publication)));
        if (filter.SaidOnOrAfter is { } from) Where("c.said_on >= @said_from", ("said_from", from));
        if (filter.SaidOnOrBefore is { } to) Where("c.said_on <= @said_to", ("said_to", to));
        if (filter.Status is { } status) Where("c.status = @status", ("status", (int)status));
        if (filter.Kind is { } kind) Where("c.kind = @kind", ("kind", (int)kind));
        if (after is not null)
            Where("(c.sort_day, c.seq) < (@after_day, @after_seq)", ("after_day", after.SortDay.DayNumber), ("after_seq", after.Sequence));

        return ($"SELECT {ClaimColumns} FROM claims c WHERE {string.Join(" AND ", conditions)} ORDER BY c.sort_day DESC, c.seq DESC LIMIT @limit",
            parameters.ToArray());
    }

    public Task<Claim> UpdateClaimAsync(Claim claim, long expectedVersion, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var (stored, seq) = await LockClaimAsync(connection, claim.Id, expectedVersion, cancellationToken);
            // The stored create time, not the caller's: it can decide the sort day.
            var updated = WithMicrosecondTimes(claim) with { CreateTime = stored.CreateTime, UpdateTime = Now(), Version = expectedVersion + 1 };
            await SpeakerMustExistAsync(updated.SpeakerId, () => connection.ExecuteAsync(
                """
                UPDATE claims SET speaker_id = @speaker_id, attributed_to = @attributed_to, text = @text,
                    search = to_tsvector('simple', @search_text), kind = @kind, said_on = @said_on, sort_day = @sort_day,
                    context = @context, language_code = @language_code, attribution_confidence = @attribution_confidence,
                    status = @status, update_time = @update_time, version = @version
                WHERE seq = @seq
                """, cancellationToken, [.. ClaimParameters(updated), ("seq", seq)]));
            await WriteAppearancesAsync(connection, seq, updated.Appearances, cancellationToken);
            if (updated.Text != stored.Text) await WriteShinglesAsync(connection, seq, updated.Text, cancellationToken);
            await AppendAuditAsync(connection, [Draft(audit, audit.Action, updated.ResourceName, stored, updated)], cancellationToken);
            return updated;
        }, cancellationToken);

    public Task DeleteClaimAsync(string id, long expectedVersion, DateTimeOffset deleteTime, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var (stored, seq) = await LockClaimAsync(connection, id, expectedVersion, cancellationToken);
            // Leaving delete_time IS NULL also takes the claim out of the partial search index.
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(BatchCommand(
                "UPDATE claims SET delete_time = @delete_time, update_time = @delete_time, version = version + 1 WHERE seq = @seq",
                ("delete_time", TruncateToMicros(deleteTime)), ("seq", seq)));
            batch.BatchCommands.Add(BatchCommand("DELETE FROM claim_shingles WHERE claim_seq = @seq", ("seq", seq)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await AppendAuditAsync(connection, [Draft<Claim>(audit, audit.Action, stored.ResourceName, stored, null)], cancellationToken);
            return stored;
        }, cancellationToken);

    public async Task<IReadOnlyList<(string ClaimId, int Shared)>> FindClaimsByShinglesAsync(IReadOnlyCollection<long> shingles, int limit,
        CancellationToken cancellationToken)
    {
        if (shingles.Count == 0 || limit <= 0) return [];
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
    /// The candidate query of quote verification: claims by the rarity-weighted number of the shingles they share,
    /// read from the primary key of claim_shingles, which leads with the shingle. For each key, a count that stops one
    /// past <see cref="QuoteShingles.MaxClaimsReadPerKey"/> tells whether it is rare; only rare keys are read (or, when
    /// there is none, every key), each by a LATERAL subquery taking at most that many of its newest claims backwards
    /// along the primary key, so a look-up's cost is bounded however common its keys. EXPLAIN (checked by
    /// PostgresStoreTests): per key, a Limit over an <c>Index Only Scan Backward using claim_shingles_pkey</c> with
    /// <c>Index Cond: (shingle = u.shingle)</c>, aggregated by claim_seq, joined to claims by claims_pkey, then a top-N
    /// sort of the matches only. Deleted claims have no shingles (dropped in the deleting transaction); the
    /// delete_time condition states the contract all the same.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) FindClaimsByShinglesQuery(IReadOnlyCollection<long> shingles, int limit) =>
        ("""
        WITH q AS MATERIALIZED (
            SELECT k.shingle, (SELECT count(*) FROM (SELECT FROM claim_shingles x WHERE x.shingle = k.shingle LIMIT @per_key + 1) n) AS claims
            FROM unnest(@shingles) AS k(shingle)),
        used AS (
            SELECT * FROM q WHERE q.claims BETWEEN 1 AND @per_key OR NOT EXISTS (SELECT FROM q WHERE q.claims BETWEEN 1 AND @per_key))
        SELECT c.id, m.shared
        FROM (SELECT s.claim_seq, count(*)::integer AS shared, sum(CASE WHEN u.claims > @per_key THEN 0 ELSE 1000000 / u.claims END) AS weight
              FROM used u
              CROSS JOIN LATERAL (SELECT x.claim_seq FROM claim_shingles x WHERE x.shingle = u.shingle
                                  ORDER BY x.claim_seq DESC LIMIT @per_key) s
              GROUP BY s.claim_seq) m
        JOIN claims c ON c.seq = m.claim_seq
        WHERE c.delete_time IS NULL
        ORDER BY m.weight DESC, m.shared DESC, m.claim_seq DESC
        LIMIT @limit
        """, [("shingles", shingles.Distinct().ToArray()), ("limit", limit), ("per_key", QuoteShingles.MaxClaimsReadPerKey)]);

    public async Task<IReadOnlyList<ScoredClaim>> SearchClaimsAsync(IReadOnlyList<string> terms, string? speakerId, int offset, int limit,
        CancellationToken cancellationToken)
    {
        if (terms.Count == 0) return [];
        var (sql, parameters) = SearchClaimsQuery(terms, speakerId, offset, limit);
        var rows = await ReadAsync(connection => QueryClaimsAsync(connection, sql, cancellationToken, parameters), cancellationToken);
        return rows.Select(row => new ScoredClaim(row.Claim, row.Rank)).ToList();
    }

    /// <summary>
    /// The search query. Each term is folded as the text was and becomes a phrase query (a term the folding splits
    /// must match as adjacent words), all of them ANDed; being a parameter, nothing in a term is a tsquery operator.
    /// Only the newest <see cref="Limits.SearchWindow"/> matches are ranked. EXPLAIN (checked by PostgresStoreTests): a
    /// Bitmap Index Scan on claims_search feeding a top-N sort of the matches by seq, then the ranking of that window.
    /// ts_rank_cd with normalization 1 (divide by the log of the length) ranks, like SQLite's bm25, a short text about
    /// the terms above a long one mentioning them in passing.
    /// </summary>
    internal static (string Sql, (string, object?)[] Parameters) SearchClaimsQuery(IReadOnlyList<string> terms, string? speakerId, int offset, int limit)
    {
        var parameters = new List<(string, object?)> { ("limit", limit), ("offset", offset) };
        parameters.AddRange(terms.Select((term, i) => ($"term{i}", (object?)SearchText.Fold(term))));
        var query = string.Join(" && ", terms.Select((_, i) => $"phraseto_tsquery('simple', @term{i})"));
        var speakerCondition = "";
        if (speakerId is not null)
        {
            speakerCondition = "AND c.speaker_id = @speaker_id";
            parameters.Add(("speaker_id", speakerId));
        }
        parameters.Add(("window", Limits.SearchWindow));
        // The window is chosen by seq alone, so only its claims are ranked.
        return ($"""
            SELECT {ClaimColumns}, ts_rank_cd(c.search, q.query, 1)::float8 AS rank
            FROM (SELECT {query} AS query) q,
                 LATERAL (SELECT c.seq FROM claims c WHERE c.search @@ q.query AND c.delete_time IS NULL {speakerCondition}
                          ORDER BY c.seq DESC LIMIT @window) w
            JOIN claims c ON c.seq = w.seq
            ORDER BY rank DESC, c.seq DESC LIMIT @limit OFFSET @offset
            """, parameters.ToArray());
    }

    /// <summary>
    /// Runs a query selecting <see cref="ClaimColumns"/> (optionally followed by a rank column) and attaches the
    /// appearances of all its claims with one more query, not one per claim.
    /// </summary>
    private static async Task<List<(Claim Claim, long Seq, double Rank)>> QueryClaimsAsync(NpgsqlConnection connection, string sql,
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
            $"SELECT {AppearanceColumns} FROM appearances WHERE claim_seq = ANY(@seqs) ORDER BY claim_seq, position",
            ("seqs", rows.Select(row => row.Seq).ToArray())))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var (seq, appearance) = ReadAppearance(reader);
                (appearances.TryGetValue(seq, out var list) ? list : appearances[seq] = []).Add(appearance);
            }
        return rows.Select(row => row with { Claim = row.Claim with { Appearances = appearances.GetValueOrDefault(row.Seq) ?? [] } }).ToList();
    }

    /// <summary>Replaces the claim's appearances, in one round trip.</summary>
    private const string InsertAppearanceSql =
        """
        INSERT INTO appearances (claim_seq, position, url, publication, publication_folded, title, publish_time, credited_outlets, quoted_sentence)
        VALUES (@claim_seq, @position, @url, @publication, @publication_folded, @title, @publish_time, @credited_outlets::jsonb, @quoted_sentence)
        """;

    private static async Task WriteAppearancesAsync(NpgsqlConnection connection, long claimSeq, IReadOnlyList<Appearance> appearances,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(BatchCommand("DELETE FROM appearances WHERE claim_seq = @claim_seq", ("claim_seq", claimSeq)));
        for (var position = 0; position < appearances.Count; position++)
            batch.BatchCommands.Add(BatchCommand(InsertAppearanceSql, AppearanceParameters(claimSeq, position, appearances[position])));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Replaces the claim's quote shingles (<see cref="QuoteShingles.For"/>), in one round trip.</summary>
    private static async Task WriteShinglesAsync(NpgsqlConnection connection, long claimSeq, string text, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(BatchCommand("DELETE FROM claim_shingles WHERE claim_seq = @claim_seq", ("claim_seq", claimSeq)));
        batch.BatchCommands.Add(InsertShinglesCommand(claimSeq, text));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand InsertShinglesCommand(long claimSeq, string text) =>
        BatchCommand("INSERT INTO claim_shingles (shingle, claim_seq) SELECT unnest(@shingles), @claim_seq",
            ("shingles", QuoteShingles.For(text).ToArray()), ("claim_seq", claimSeq));

    /// <summary>Turns the speaker foreign key's violation into the NOT_FOUND the SQLite store gives.</summary>
    private static async Task<T> SpeakerMustExistAsync<T>(string? speakerId, Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.ForeignKeyViolation, ConstraintName: "claims_speaker_fk" })
        {
            throw new NotFoundException(ResourceNames.Speaker(speakerId!));
        }
    }

    // ---- Installation ----

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ScalarAsync("SELECT 1", cancellationToken);
    }

    public async Task<byte[]> GetInstallationSecretAsync(CancellationToken cancellationToken)
    {
        // Written once and never changed, so it is cached; callers get a copy they cannot alter the cache through.
        installationSecret ??= await WriteAsync(async connection =>
        {
            // Insert-or-ignore, then read: whichever instance got there first, every one returns the same secret.
            await connection.ExecuteAsync("INSERT INTO installation (key, value) VALUES (@key, @value) ON CONFLICT DO NOTHING",
                cancellationToken, ("key", InstallationSecretKey), ("value", RandomNumberGenerator.GetBytes(32)));
            return (byte[])(await connection.ScalarAsync("SELECT value FROM installation WHERE key = @key", cancellationToken,
                ("key", InstallationSecretKey)))!;
        }, cancellationToken);
        return installationSecret.ToArray();
    }

    // ---- Transactions ----

    /// <summary>
    /// Inserts a new resource, or for a request id seen before returns what that request created (AIP-155). The request
    /// id is recorded first: of two concurrent requests with the same id, the second's ON CONFLICT waits for the first
    /// to commit and then finds its row (had the first rolled back, the second would go on and create).
    /// </summary>
    private Task<T> CreateAsync<T>(string collection, string id, IdempotencyKey? idempotency, Func<NpgsqlConnection, Task<T>> insert,
        Func<NpgsqlConnection, string, Task<T>> loadExisting, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            if (idempotency is null || await connection.ExecuteAsync(
                    """
                    INSERT INTO idempotency (request_id, resource_kind, fingerprint, resource_id, create_time)
                    VALUES (@request_id, @resource_kind, @fingerprint, @resource_id, @create_time)
                    ON CONFLICT (request_id) DO NOTHING
                    """, cancellationToken, ("request_id", idempotency.RequestId), ("resource_kind", collection),
                    ("fingerprint", idempotency.Fingerprint), ("resource_id", id), ("create_time", Now())) == 1)
                return await insert(connection);

            // Read committed: this statement sees the row the conflicting transaction committed.
            var (earlierCollection, earlierFingerprint, earlierId) = await FindEarlierRequestAsync(connection, idempotency.RequestId, cancellationToken);
            if (earlierCollection != collection || earlierFingerprint != idempotency.Fingerprint)
                throw new AlreadyExistsException($"{earlierCollection}/{earlierId}",
                    $"request_id '{idempotency.RequestId}' was already used for a different request");
            // Resources are never hard-deleted, so the row is there.
            return await loadExisting(connection, earlierId);
        }, cancellationToken);

    private static async Task<(string Collection, string Fingerprint, string ResourceId)> FindEarlierRequestAsync(
        NpgsqlConnection connection, string requestId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            "SELECT resource_kind, fingerprint, resource_id FROM idempotency WHERE request_id = @request_id", ("request_id", requestId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException($"request id '{requestId}' conflicted but has no row");
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }

    /// <summary>
    /// Locks the speaker to change (SELECT ... FOR NO KEY UPDATE) and checks its version: a missing row is NOT_FOUND,
    /// another version a conflict. A concurrent change of the same row waits for this transaction and then sees the new
    /// version, so of two writers expecting the same version exactly one wins. Returns the speaker as stored: the
    /// update keeps its create time, and the audit event records it as Before.
    /// </summary>
    private static async Task<(Speaker Stored, long Seq)> LockSpeakerAsync(NpgsqlConnection connection, string id, long expectedVersion,
        CancellationToken cancellationToken)
    {
        var rows = await QuerySpeakersAsync(connection, "WHERE s.id = @id FOR NO KEY UPDATE", cancellationToken, ("id", id));
        if (rows.Count == 0) throw new NotFoundException(ResourceNames.Speaker(id));
        if (rows[0].Item.Version != expectedVersion) throw new VersionConflictException(ResourceNames.Speaker(id));
        return (rows[0].Item, rows[0].Sequence);
    }

    /// <summary>As <see cref="LockSpeakerAsync"/>, for a claim that is not deleted, with its appearances (read after the
    /// lock, so they are the locked version's); no version check when <paramref name="expectedVersion"/> is null.</summary>
    private static async Task<(Claim Stored, long Seq)> LockClaimAsync(NpgsqlConnection connection, string id, long? expectedVersion,
        CancellationToken cancellationToken)
    {
        var rows = await QueryClaimsAsync(connection,
            $"SELECT {ClaimColumns} FROM claims c WHERE c.id = @id AND c.delete_time IS NULL FOR NO KEY UPDATE", cancellationToken, ("id", id));
        if (rows.Count == 0) throw new NotFoundException(ResourceNames.Claim(id));
        if (expectedVersion is { } version && rows[0].Claim.Version != version) throw new VersionConflictException(ResourceNames.Claim(id));
        return (rows[0].Claim, rows[0].Seq);
    }

    /// <summary>One read-committed write transaction; an exception rolls it back.</summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>A read in a repeatable-read transaction, so its statements (claims, then their appearances) all see
    /// one snapshot even while writes commit.</summary>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        return await read(connection);
    }

    private DateTimeOffset Now() => TruncateToMicros(clock.GetUtcNow());
}
