using FactCheck.Core.Verification;
using Npgsql;

namespace FactCheck.Storage.Postgres;

/// <summary>Versioned schema changes, applied in order at start-up; each one runs once per database.</summary>
internal static class SchemaMigrations
{
    // Append only, never edit a shipped script: a script's version is its 1-based position in this list.
    private static readonly string[] Scripts =
    [
        """
        -- The same data as the SQLite store keeps: times in microseconds (timestamptz), sort days as DateOnly.DayNumber
        -- (what list cursors carry).
        CREATE TABLE speakers (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- never reused, so list cursors stay valid
            id text NOT NULL UNIQUE,
            display_name text NOT NULL,
            kind integer NOT NULL,
            aliases jsonb NOT NULL,
            roles jsonb NOT NULL,
            wikidata_id text UNIQUE,
            description text,
            create_time timestamptz NOT NULL,
            update_time timestamptz NOT NULL,
            version bigint NOT NULL
        );

        -- Derived from the speaker's names (SpeakerNameKeys) and rewritten with every change to the speaker.
        CREATE TABLE speaker_name_keys (
            key text NOT NULL,
            speaker_seq bigint NOT NULL REFERENCES speakers(seq),
            PRIMARY KEY (key, speaker_seq)
        );
        CREATE INDEX speaker_name_keys_by_speaker ON speaker_name_keys(speaker_seq);

        CREATE TABLE claims (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            speaker_id text CONSTRAINT claims_speaker_fk REFERENCES speakers(id),
            attributed_to text,
            text text NOT NULL,
            search tsvector NOT NULL,  -- to_tsvector('simple', the text folded by SearchText)
            kind integer NOT NULL,
            said_on date,
            sort_day integer NOT NULL,  -- Claim.SortDay, kept as a column so listing is a keyset index scan
            context text,
            language_code text NOT NULL,
            attribution_confidence double precision NOT NULL,
            status integer NOT NULL,
            create_time timestamptz NOT NULL,
            update_time timestamptz NOT NULL,
            version bigint NOT NULL,
            delete_time timestamptz  -- soft delete: the row stays so idempotent retries still find what they created
        );
        -- Partial indexes: deleted claims are never listed nor found, so they need not be indexed.
        CREATE INDEX claims_by_speaker ON claims(speaker_id, sort_day DESC, seq DESC) WHERE delete_time IS NULL;
        CREATE INDEX claims_by_day ON claims(sort_day DESC, seq DESC) WHERE delete_time IS NULL;
        CREATE INDEX claims_search ON claims USING gin (search) WHERE delete_time IS NULL;

        CREATE TABLE appearances (
            claim_seq bigint NOT NULL REFERENCES claims(seq),
            position integer NOT NULL,
            url text NOT NULL,
            publication text NOT NULL,
            publication_folded text NOT NULL,  -- lower-cased in .NET, the same whatever the database's locale
            title text,
            publish_time timestamptz,
            credited_outlets jsonb NOT NULL,
            quoted_sentence text,
            PRIMARY KEY (claim_seq, position)
        );
        CREATE INDEX appearances_by_publication ON appearances(publication_folded, claim_seq);

        -- AIP-155 request ids: which resource a request created, and a fingerprint of that request.
        CREATE TABLE idempotency (
            request_id text PRIMARY KEY,
            resource_kind text NOT NULL,  -- collection name: speakers or claims
            fingerprint text NOT NULL,
            resource_id text NOT NULL,
            create_time timestamptz NOT NULL
        );

        CREATE TABLE installation (
            key text PRIMARY KEY,
            value bytea NOT NULL
        );
        """,
        """
        -- The hash-chained audit log (Core's AuditChain). seq is not an identity: the writer holding the audit advisory
        -- lock assigns the last seq + 1, so the log is 1, 2, 3, ... without gaps (an identity would leave one for every
        -- rolled-back transaction), and the primary key would refuse a fork even if two writers got past the lock.
        CREATE TABLE audit_events (
            seq bigint PRIMARY KEY,
            id text NOT NULL UNIQUE,
            time timestamptz NOT NULL,  -- microseconds, what the hash covers
            principal text NOT NULL,
            action text NOT NULL,
            resource_name text NOT NULL,
            before text,  -- JSON as AuditSnapshots wrote it: text, not jsonb, so it reads back byte for byte and re-hashes
            after text,
            reason text,
            request_id text,
            previous_hash bytea NOT NULL,
            hash bytea NOT NULL
        );
        -- Each filter of ListAuditEvents walks its index in log order from the cursor.
        CREATE INDEX audit_events_by_resource ON audit_events(resource_name, seq);
        CREATE INDEX audit_events_by_principal ON audit_events(principal, seq);
        CREATE INDEX audit_events_by_action ON audit_events(action, seq);
        CREATE INDEX audit_events_by_time ON audit_events(time, seq);

        -- Never edited: a later review of the claim supersedes the earlier one.
        CREATE TABLE reviews (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- listing cursor
            id text NOT NULL UNIQUE,
            claim_seq bigint NOT NULL REFERENCES claims(seq),
            reviewer text NOT NULL,
            verdict integer NOT NULL,
            explanation text NOT NULL,
            evidence_urls jsonb NOT NULL,
            create_time timestamptz NOT NULL,
            supersedes_id text REFERENCES reviews(id)
        );
        CREATE INDEX reviews_by_claim ON reviews(claim_seq, seq DESC);

        -- QuoteShingles.For(text) of every claim not deleted: the candidate index of quote verification, rewritten when
        -- the text changes and dropped when the claim is deleted. The primary key leads with the shingle for lookups.
        CREATE TABLE claim_shingles (
            shingle bigint NOT NULL,
            claim_seq bigint NOT NULL REFERENCES claims(seq),
            PRIMARY KEY (shingle, claim_seq)
        );
        CREATE INDEX claim_shingles_by_claim ON claim_shingles(claim_seq);

        -- Only the SHA-256 of each secret is kept; a key is found by it.
        CREATE TABLE api_keys (
            id text PRIMARY KEY,
            seq bigint GENERATED ALWAYS AS IDENTITY,  -- orders keys created in the same microsecond, as SQLite's rowid does
            principal text NOT NULL,
            roles integer NOT NULL,
            secret_hash bytea NOT NULL UNIQUE,
            description text,
            create_time timestamptz NOT NULL,
            revoke_time timestamptz
        );
        """,
    ];

    /// <summary>Work of a version that SQL alone cannot do, run right after its script, in the same transaction and
    /// under the same lock.</summary>
    private static readonly Dictionary<int, Func<NpgsqlConnection, CancellationToken, Task>> AfterScript = new()
    {
        [2] = BackfillClaimShinglesAsync,
    };

    public static int LatestVersion => Scripts.Length;

    /// <summary>Applies the versions not applied yet, up to <paramref name="upToVersion"/> (tests stop early to
    /// have a database as an older server left it).</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken,
        int upToVersion = int.MaxValue)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One transaction, which DDL in PostgreSQL can be part of: a failed script leaves nothing behind. The advisory
        // lock (per database, released at commit) makes a second server starting at the same time wait here, then
        // find the versions applied, instead of applying them again.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@class, 0)", cancellationToken, ("class", (int)AdvisoryLocks.Migrations));
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)", cancellationToken);
        var applied = (int?)await connection.ScalarAsync("SELECT max(version) FROM schema_migrations", cancellationToken) ?? 0;
        for (var version = applied + 1; version <= Math.Min(Scripts.Length, upToVersion); version++)
        {
            await connection.ExecuteAsync(Scripts[version - 1], cancellationToken);
            if (AfterScript.TryGetValue(version, out var after)) await after(connection, cancellationToken);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                cancellationToken, ("version", version), ("at", clock.GetUtcNow()));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The quote shingles of the claims stored before the shingle index existed, in pages by seq (one connection
    /// cannot read and write at once). Deleted claims have none.
    /// </summary>
    private static async Task BackfillClaimShinglesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const int pageSize = 1000;
        for (long after = 0; ;)
        {
            var claims = new List<(long Seq, string Text)>(pageSize);
            await using (var command = connection.Command(
                "SELECT seq, text FROM claims WHERE seq > @after AND delete_time IS NULL ORDER BY seq LIMIT @limit",
                ("after", after), ("limit", pageSize)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) claims.Add((reader.GetInt64(0), reader.GetString(1)));
            if (claims.Count == 0) return;

            var shingles = new List<long>();
            var seqs = new List<long>();
            foreach (var (seq, text) in claims)
                foreach (var shingle in QuoteShingles.For(text))
                {
                    shingles.Add(shingle);
                    seqs.Add(seq);
                }
            await connection.ExecuteAsync("INSERT INTO claim_shingles (shingle, claim_seq) SELECT * FROM unnest(@shingles, @seqs)",
                cancellationToken, ("shingles", shingles.ToArray()), ("seqs", seqs.ToArray()));
            after = claims[^1].Seq;
        }
    }
}

/// <summary>The first key of two-key advisory locks: what the second key (a hash, or 0) identifies.</summary>
internal enum AdvisoryLocks
{
    Migrations = 1,
    WikidataId = 2,
    /// <summary>Second key 0: held by the transaction appending to the audit log, from reading its last event to commit.</summary>
    AuditLog = 3,
}
