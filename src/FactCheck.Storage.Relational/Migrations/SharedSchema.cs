using System.Text.RegularExpressions;

namespace FactCheck.Storage.Relational.Migrations;

/// <summary>
/// The schema of both databases, written once: <c>{token}</c>s are what each spells its own way
/// (<see cref="SchemaDialect"/>). Append only, never change what a shipped version creates: a script's version is its
/// 1-based position in <see cref="Scripts"/>, and each runs once per database.
/// </summary>
public static partial class SharedSchema
{
    public static readonly IReadOnlyList<string> Scripts =
    [
        """
        -- Times are kept to the microsecond (the precision PostgreSQL keeps; SQLite keeps unix microseconds), so both
        -- stores round-trip the same values. Sort days are DateOnly.DayNumber (what list cursors carry).
        -- The SQLite store first named its JSON columns aliases_json and so on (json_suffix); version 3 renames them.
        CREATE TABLE speakers (
            seq {identity},  -- never reused, so list cursors stay valid
            id {text} NOT NULL UNIQUE,
            display_name {text} NOT NULL,
            kind {integer} NOT NULL,
            aliases{json_suffix} {json} NOT NULL,
            roles{json_suffix} {json} NOT NULL,
            wikidata_id {text} UNIQUE,
            description {text},
            create_time {time} NOT NULL,
            update_time {time} NOT NULL,
            version {bigint} NOT NULL
        );

        -- Derived from the speaker's names (SpeakerNameKeys) and rewritten with every change to the speaker.
        CREATE TABLE speaker_name_keys (
            key {text} NOT NULL,
            speaker_seq {bigint} NOT NULL REFERENCES speakers(seq),
            PRIMARY KEY (key, speaker_seq)
        ){without_rowid};
        CREATE INDEX speaker_name_keys_by_speaker ON speaker_name_keys(speaker_seq);

        CREATE TABLE claims (
            seq {identity},
            id {text} NOT NULL UNIQUE,
            speaker_id {text} CONSTRAINT claims_speaker_fk REFERENCES speakers(id),
            attributed_to {text},
            text {text} NOT NULL,{claims_search_column}
            kind {integer} NOT NULL,
            said_on {day},
            sort_day {integer} NOT NULL,  -- Claim.SortDay, kept as a column so listing is a keyset index scan
            context {text},
            language_code {text} NOT NULL,
            attribution_confidence {real} NOT NULL,
            status {integer} NOT NULL,
            create_time {time} NOT NULL,
            update_time {time} NOT NULL,
            version {bigint} NOT NULL,
            delete_time {time}  -- soft delete: the row stays so idempotent retries still find what they created
        );
        -- Partial indexes: deleted claims are never listed nor found, so they need not be indexed.
        CREATE INDEX claims_by_speaker ON claims(speaker_id, sort_day DESC, seq DESC) WHERE delete_time IS NULL;
        CREATE INDEX claims_by_day ON claims(sort_day DESC, seq DESC) WHERE delete_time IS NULL;
        {claims_search_index}

        CREATE TABLE appearances (
            claim_seq {bigint} NOT NULL REFERENCES claims(seq),
            position {integer} NOT NULL,
            url {text} NOT NULL,
            publication {text} NOT NULL,
            publication_folded {text} NOT NULL,  -- lower-cased in .NET, whatever the database's lower() and locale do
            title {text},
            publish_time {time},
            credited_outlets{json_suffix} {json} NOT NULL,
            quoted_sentence {text},
            PRIMARY KEY (claim_seq, position)
        );
        CREATE INDEX appearances_by_publication ON appearances(publication_folded, claim_seq);

        -- AIP-155 request ids: which resource a request created, and a fingerprint of that request.
        CREATE TABLE idempotency (
            request_id {text} PRIMARY KEY,
            resource_kind {text} NOT NULL,  -- collection name: speakers or claims
            fingerprint {text} NOT NULL,
            resource_id {text} NOT NULL,
            create_time {time} NOT NULL
        );

        CREATE TABLE installation (
            key {text} PRIMARY KEY,
            value {bytes} NOT NULL
        );
        """,
        """
        -- The hash-chained audit log (Core's AuditChain). seq is not an identity: the writer that holds the log
        -- (SqlDialect.SerializeAsync) assigns the last seq + 1, so the log is 1, 2, 3, ... without gaps (an identity
        -- would leave one for every rolled-back transaction), and the primary key would refuse a fork.
        CREATE TABLE audit_events (
            seq {bigint} PRIMARY KEY,
            id {text} NOT NULL UNIQUE,
            time {time} NOT NULL,  -- microseconds, what the hash covers
            principal {text} NOT NULL,
            action {text} NOT NULL,
            resource_name {text} NOT NULL,
            before {text},  -- JSON as AuditSnapshots wrote it, kept as text: it reads back byte for byte and re-hashes
            after {text},
            reason {text},
            request_id {text},
            previous_hash {bytes} NOT NULL,
            hash {bytes} NOT NULL
        );
        -- Each filter with seq, so a filtered page is a range of its index in log order from the cursor.
        CREATE INDEX audit_events_by_resource ON audit_events(resource_name, seq);
        CREATE INDEX audit_events_by_principal ON audit_events(principal, seq);
        CREATE INDEX audit_events_by_action ON audit_events(action, seq);
        CREATE INDEX audit_events_by_time ON audit_events(time, seq);

        -- Reviews are never edited: a later review of the claim supersedes the earlier one; a claim's latest (highest
        -- seq) is its current one.
        CREATE TABLE reviews (
            seq {identity},  -- listing cursor
            id {text} NOT NULL UNIQUE,
            claim_seq {bigint} NOT NULL REFERENCES claims(seq),
            reviewer {text} NOT NULL,
            verdict {integer} NOT NULL,
            explanation {text} NOT NULL,
            evidence_urls{json_suffix} {json} NOT NULL,
            create_time {time} NOT NULL,
            supersedes_id {text} REFERENCES reviews(id)
        );
        CREATE INDEX reviews_by_claim ON reviews(claim_seq, seq DESC);

        -- QuoteShingles.For(text) of every claim not deleted: the candidate index of quote verification, rewritten when
        -- the text changes and dropped when the claim is deleted.
        CREATE TABLE claim_shingles (
            shingle {bigint} NOT NULL,
            claim_seq {bigint} NOT NULL REFERENCES claims(seq),
            PRIMARY KEY (shingle, claim_seq)  -- leads with the shingle, for look-ups
        ){without_rowid};
        CREATE INDEX claim_shingles_by_claim ON claim_shingles(claim_seq);

        -- Only the SHA-256 of each secret is kept; a key is found by it.
        CREATE TABLE api_keys (
            id {text} PRIMARY KEY,{api_keys_insertion_order}
            principal {text} NOT NULL,
            roles {integer} NOT NULL,
            secret_hash {bytes} NOT NULL UNIQUE,
            description {text},
            create_time {time} NOT NULL,
            revoke_time {time}
        );
        """,
        """
        {json_column_renames}
        """,
        """
        -- The audit log's Merkle tree (RFC 9162) as Go's tlog stores it: appending event n (leaf n - 1) adds its leaf
        -- hash and the hashes of the subtrees it completes, at consecutive indexes (MerkleTree.StoredHashIndex), in the
        -- transaction that appends the event (AuditTree). Rows never change; a root or a proof reads O(log n) of them by
        -- primary key. The events stored before this version are added as the server starts (AuditTree.CatchUpAsync).
        CREATE TABLE audit_tree (
            idx {bigint} PRIMARY KEY,
            hash {bytes} NOT NULL
        );
        """,
        """
        -- Issue 12, semantics. The models vectors were made with: a vector refers to its model's row, which names the
        -- model and its version (a million vectors need not repeat a 60-character name).
        CREATE TABLE embedding_models (
            id {identity},
            name {text} NOT NULL,
            version {text} NOT NULL,
            dimensions {integer} NOT NULL,
            UNIQUE (name, version)
        );

        -- Claims waiting for a vector: queued in the transaction that creates or re-words a claim (or by a change of
        -- model), taken off in the one that stores the vector of that version of its text. A worker leases a batch
        -- until lease_until; a lease that runs out (the worker stopped) makes the entries free again.
        CREATE TABLE embedding_queue (
            claim_seq {bigint} PRIMARY KEY REFERENCES claims(seq),
            claim_version {bigint} NOT NULL,  -- the claim's version when its text was set
            lease_until {time}
        );
        -- The claims of this database before vectors existed.
        INSERT INTO embedding_queue (claim_seq, claim_version) SELECT seq, version FROM claims WHERE delete_time IS NULL;

        -- One vector per claim, half-precision little-endian floats. position numbers the changes to this table in
        -- commit order without gaps (the writer holding WriteScope.Vectors assigns the next): each server instance
        -- keeps its in-memory index current by reading the changes after the last it applied. A NULL vector is a
        -- removal: the claim was deleted or re-worded.
        CREATE TABLE claim_vectors (
            claim_seq {bigint} PRIMARY KEY REFERENCES claims(seq),
            position {bigint} NOT NULL UNIQUE,
            model_id {bigint} NOT NULL REFERENCES embedding_models(id),
            vector {bytes}
        );

        -- Typed relations between claims (REPEATS, FRAGMENT_OF, ...): "claim_seq kind related_seq", suggested by the
        -- service, confirmed or rejected by a reviewer. One per pair and kind.
        CREATE TABLE claim_relations (
            seq {identity},  -- listing cursor
            id {text} NOT NULL UNIQUE,
            claim_seq {bigint} NOT NULL REFERENCES claims(seq),
            related_seq {bigint} NOT NULL REFERENCES claims(seq),
            kind {integer} NOT NULL,
            state {integer} NOT NULL,
            score {real} NOT NULL,
            create_time {time} NOT NULL,
            reviewer {text},
            review_time {time},
            version {bigint} NOT NULL,
            UNIQUE (claim_seq, related_seq, kind)
        );
        CREATE INDEX claim_relations_by_related ON claim_relations(related_seq);
        """,
        """
        -- Cache invalidations that could not reach Redis when their write committed, until an instance delivers them
        -- (IInvalidationOutbox; src/FactCheck.Caching/InvalidationRelay.cs). Empty whenever Redis is reachable.
        CREATE TABLE cache_outbox (
            id {identity},
            tags {text} NOT NULL  -- the dependency tags, one per line
        );
        """,
    ];

    /// <summary>The versions applied, and when (created before anything else, if missing).</summary>
    public const string History = "CREATE TABLE IF NOT EXISTS schema_migrations (version {integer} PRIMARY KEY, applied_at {applied_at} NOT NULL)";

    public static int LatestVersion => Scripts.Count;

    /// <summary><paramref name="script"/> as <paramref name="dialect"/> spells it.</summary>
    public static string Render(string script, SchemaDialect dialect) => Token().Replace(script, token => token.Groups[1].Value switch
    {
        "identity" => dialect.Types.Identity,
        "integer" => dialect.Types.Integer,
        "bigint" => dialect.Types.BigInt,
        "real" => dialect.Types.Real,
        "text" => dialect.Types.Text,
        "json" => dialect.Types.Json,
        "bytes" => dialect.Types.Bytes,
        "time" => dialect.Types.Time,
        "day" => dialect.Types.Day,
        "applied_at" => dialect.Types.AppliedAt,
        "without_rowid" => dialect.Types.WithoutRowId,
        "json_suffix" => dialect.JsonColumnSuffix,
        "claims_search_column" => dialect.ClaimsSearchColumn,
        "claims_search_index" => dialect.ClaimsSearchIndex,
        "api_keys_insertion_order" => dialect.ApiKeysInsertionOrderColumn,
        "json_column_renames" => dialect.JsonColumnRenames,
        var name => throw new InvalidOperationException($"the schema has no token {{{name}}}"),
    });

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Token();
}
