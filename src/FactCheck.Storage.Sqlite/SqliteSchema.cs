namespace FactCheck.Storage.Sqlite;

/// <summary>How SQLite spells the shared schema (<see cref="SharedSchema"/>).</summary>
internal static class SqliteSchema
{
    public static readonly SchemaDialect Dialect = new()
    {
        // INTEGER PRIMARY KEY is the rowid; AUTOINCREMENT keeps a deleted row's number from being reused.
        Types = new ColumnTypes(Identity: "INTEGER PRIMARY KEY AUTOINCREMENT", Integer: "INTEGER", BigInt: "INTEGER", Real: "REAL",
            Text: "TEXT", Json: "TEXT", Bytes: "BLOB", Time: "INTEGER", Day: "INTEGER", AppliedAt: "TEXT", WithoutRowId: " WITHOUT ROWID"),
        // FTS5 keeps its own index; claims.text is all it reads.
        ClaimsSearchColumn = "",
        ClaimsSearchIndex =
            """
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
            """,
        // The rowid orders api_keys as inserted.
        ApiKeysInsertionOrderColumn = "",
        JsonColumnSuffix = "_json",
        JsonColumnRenames =
            """
            ALTER TABLE speakers RENAME COLUMN aliases_json TO aliases;
            ALTER TABLE speakers RENAME COLUMN roles_json TO roles;
            ALTER TABLE appearances RENAME COLUMN credited_outlets_json TO credited_outlets;
            ALTER TABLE reviews RENAME COLUMN evidence_urls_json TO evidence_urls;
            """,
        AppliedAt = time => time.ToString("O"),
        // The claims that existed before the shingle index get theirs.
        AfterScript = new Dictionary<int, Func<DbSession, CancellationToken, Task>> { [2] = ShingleIndex.RebuildAsync },
        OnEveryStart = ShingleIndex.EnsureCurrentAsync,
    };
}
