using Microsoft.Data.Sqlite;

namespace FactCheck.Storage.Sqlite;

/// <summary>Versioned schema changes, applied in order at start-up; each one runs once per database.</summary>
internal static class SchemaMigrations
{
    // Append only, never edit a shipped migration: a migration's version is its 1-based position in this list.
    private static readonly Migration[] Migrations =
    [
        new("""
        -- Times are unix microseconds (the precision PostgreSQL keeps, so both stores round-trip the same values);
        -- days are DateOnly.DayNumber.
        CREATE TABLE speakers (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: never reused, so list cursors stay valid
            id TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            kind INTEGER NOT NULL,
            aliases_json TEXT NOT NULL,
            roles_json TEXT NOT NULL,
            wikidata_id TEXT UNIQUE,
            description TEXT,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            version INTEGER NOT NULL
        );

        -- Derived from the speaker's names (SpeakerNameKeys) and rewritten with every change to the speaker.
        CREATE TABLE speaker_name_keys (
            key TEXT NOT NULL,
            speaker_seq INTEGER NOT NULL REFERENCES speakers(seq),
            PRIMARY KEY (key, speaker_seq)
        ) WITHOUT ROWID;
        CREATE INDEX speaker_name_keys_by_speaker ON speaker_name_keys(speaker_seq);

        CREATE TABLE claims (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            speaker_id TEXT REFERENCES speakers(id),
            attributed_to TEXT,
            text TEXT NOT NULL,
            kind INTEGER NOT NULL,
            said_on INTEGER,
            sort_day INTEGER NOT NULL,  -- Claim.SortDay, kept as a column so listing is a keyset index scan
            context TEXT,
            language_code TEXT NOT NULL,
            attribution_confidence REAL NOT NULL,
            status INTEGER NOT NULL,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            version INTEGER NOT NULL,
            delete_time INTEGER  -- soft delete: the row stays so idempotent retries still find what they created
        );
        -- Partial indexes: deleted claims are never listed, so they need not be indexed.
        CREATE INDEX claims_by_speaker ON claims(speaker_id, sort_day DESC, seq DESC) WHERE delete_time IS NULL;
        CREATE INDEX claims_by_day ON claims(sort_day DESC, seq DESC) WHERE delete_time IS NULL;

        CREATE TABLE appearances (
            claim_seq INTEGER NOT NULL REFERENCES claims(seq),
            position INTEGER NOT NULL,
            url TEXT NOT NULL,
            publication TEXT NOT NULL,
            publication_folded TEXT NOT NULL,  -- lower-cased in .NET: SQLite's lower() folds ASCII only
            title TEXT,
            publish_time INTEGER,
            credited_outlets_json TEXT NOT NULL,
            quoted_sentence TEXT,
            PRIMARY KEY (claim_seq, position)
        );
        CREATE INDEX appearances_by_publication ON appearances(publication_folded, claim_seq);

        -- External-content index over claims.text (no second copy of the text), rowid = claims.seq.
        CREATE VIRTUAL TABLE claims_fts USING fts5(
            text, content = 'claims', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
        -- Triggers keep the index in step inside the writing transaction, whatever statement changed the claim.
        -- Only live claims are indexed: soft deletion removes the claim from search.
        CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims WHEN new.delete_time IS NULL BEGIN
            INSERT INTO claims_fts(rowid, text) VALUES (new.seq, new.text);
        END;
        CREATE TRIGGER claims_fts_update AFTER UPDATE OF text, delete_time ON claims BEGIN
            INSERT INTO claims_fts(claims_fts, rowid, text) SELECT 'delete', old.seq, old.text WHERE old.delete_time IS NULL;
            INSERT INTO claims_fts(rowid, text) SELECT new.seq, new.text WHERE new.delete_time IS NULL;
        END;

        -- AIP-155 request ids: which resource a request created, and a fingerprint of that request.
        CREATE TABLE idempotency (
            request_id TEXT PRIMARY KEY,
            resource_kind TEXT NOT NULL,  -- collection name: speakers or claims
            fingerprint TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            create_time INTEGER NOT NULL
        );

        CREATE TABLE installation (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL
        );
        """),
        new("""
        -- The append-only audit log (Core AuditChain): seq is the event's sequence, assigned as the last one + 1 in
        -- the writing transaction (writes are serialized), so the log has no gaps; each hash covers the one before.
        CREATE TABLE audit_events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            time INTEGER NOT NULL,
            principal TEXT NOT NULL,
            action TEXT NOT NULL,
            resource_name TEXT NOT NULL,
            before TEXT,  -- JSON snapshots (AuditSnapshots), stored verbatim: the hash covers their exact text
            after TEXT,
            reason TEXT,
            request_id TEXT,
            previous_hash BLOB NOT NULL,
            hash BLOB NOT NULL
        );
        -- Each filter with seq, so a filtered page is an index range in log order.
        CREATE INDEX audit_events_by_resource ON audit_events(resource_name, seq);
        CREATE INDEX audit_events_by_principal ON audit_events(principal, seq);
        CREATE INDEX audit_events_by_action ON audit_events(action, seq);
        CREATE INDEX audit_events_by_time ON audit_events(time, seq);

        -- Reviews are never edited; a claim's latest (highest seq) is its current one.
        CREATE TABLE reviews (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            claim_seq INTEGER NOT NULL REFERENCES claims(seq),
            reviewer TEXT NOT NULL,
            verdict INTEGER NOT NULL,
            explanation TEXT NOT NULL,
            evidence_urls_json TEXT NOT NULL,
            create_time INTEGER NOT NULL,
            supersedes_id TEXT REFERENCES reviews(id)
        );
        CREATE INDEX reviews_by_claim ON reviews(claim_seq, seq DESC);

        -- Quote shingles (QuoteShingles.For) of live claims' text: rewritten when the text changes, dropped on delete.
        CREATE TABLE claim_shingles (
            shingle INTEGER NOT NULL,
            claim_seq INTEGER NOT NULL REFERENCES claims(seq),
            PRIMARY KEY (shingle, claim_seq)
        ) WITHOUT ROWID;
        CREATE INDEX claim_shingles_by_claim ON claim_shingles(claim_seq);

        -- Only the SHA-256 of a key's secret is stored.
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            principal TEXT NOT NULL,
            roles INTEGER NOT NULL,
            secret_hash BLOB NOT NULL UNIQUE,
            description TEXT,
            create_time INTEGER NOT NULL,
            revoke_time INTEGER
        );
        """, ShingleIndex.RebuildAsync),
    ];

    /// <summary>The version a fully migrated database is at.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>A script, and optionally code run after it in the same transaction (for data computed in .NET).</summary>
    private sealed record Migration(string Sql, Func<SqliteConnection, CancellationToken, Task>? ThenAsync = null);

    /// <summary>Applies the migrations not applied yet, up to <paramref name="toVersion"/> (tests stop early to
    /// build an older database), then rebuilds the shingle index if it was made under another key scheme.</summary>
    public static async Task ApplyAsync(SqliteConnection connection, TimeProvider clock, CancellationToken cancellationToken,
        int toVersion = int.MaxValue)
    {
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken);
        for (var version = 1; version <= Math.Min(Migrations.Length, toVersion); version++)
        {
            // IMMEDIATE: if two processes start together, the second waits for the first and then sees the version
            // applied, instead of both applying it.
            await using var transaction = connection.BeginTransaction(deferred: false);
            if (await connection.ScalarAsync("SELECT 1 FROM schema_migrations WHERE version = $version", cancellationToken,
                    ("$version", version)) is null)
            {
                var migration = Migrations[version - 1];
                await connection.ExecuteAsync(migration.Sql, cancellationToken);
                if (migration.ThenAsync is { } then) await then(connection, cancellationToken);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES ($version, $at)",
                    cancellationToken, ("$version", version), ("$at", clock.GetUtcNow().ToString("O")));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (toVersion >= Migrations.Length)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await ShingleIndex.EnsureCurrentAsync(connection, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
