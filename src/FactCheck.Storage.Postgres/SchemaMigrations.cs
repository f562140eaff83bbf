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
    ];

    public static int LatestVersion => Scripts.Length;

    public static async Task ApplyAsync(NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
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
        for (var version = applied + 1; version <= Scripts.Length; version++)
        {
            await connection.ExecuteAsync(Scripts[version - 1], cancellationToken);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                cancellationToken, ("version", version), ("at", clock.GetUtcNow()));
        }
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>The first key of two-key advisory locks: what the second key (a hash, or 0) identifies.</summary>
internal enum AdvisoryLocks
{
    Migrations = 1,
    WikidataId = 2,
}
