namespace FactCheck.Storage.Relational.Migrations;

/// <summary>
/// How one database spells <see cref="SharedSchema"/>: its column types, the parts of the schema that only it has,
/// and the work of its migrations that SQL alone cannot do.
/// </summary>
public sealed record SchemaDialect
{
    public required ColumnTypes Types { get; init; }

    /// <summary>A column of the claims table kept for full-text search, with its leading line break (or nothing).</summary>
    public required string ClaimsSearchColumn { get; init; }

    /// <summary>The full-text index over the claims' text.</summary>
    public required string ClaimsSearchIndex { get; init; }

    /// <summary>A column of api_keys keeping insertion order (<see cref="SqlDialect.InsertionOrder"/>), with its
    /// leading line break, for a database whose tables have no such order of their own.</summary>
    public required string ApiKeysInsertionOrderColumn { get; init; }

    /// <summary>Appended to the names of JSON columns by versions 1 and 2; version 3 runs <see cref="JsonColumnRenames"/>.</summary>
    public required string JsonColumnSuffix { get; init; }

    public required string JsonColumnRenames { get; init; }

    /// <summary>The value schema_migrations.applied_at keeps for a time.</summary>
    public required Func<DateTimeOffset, object> AppliedAt { get; init; }

    /// <summary>Work run right after a version's script, in its transaction, by version.</summary>
    public IReadOnlyDictionary<int, Func<DbSession, CancellationToken, Task>> AfterScript { get; init; } =
        new Dictionary<int, Func<DbSession, CancellationToken, Task>>();

    /// <summary>Work run after every migration, on each start (in the migrations' transaction).</summary>
    public Func<DbSession, CancellationToken, Task>? OnEveryStart { get; init; }
}

/// <summary>
/// Column types. <paramref name="Identity"/> is a whole primary key column, numbered by the database and never
/// reused; <paramref name="BigInt"/> must make a rowid alias of a lone integer primary key where the database has
/// rowids; <paramref name="WithoutRowId"/> ends a table that needs no rowid of its own.
/// </summary>
public sealed record ColumnTypes(string Identity, string Integer, string BigInt, string Real, string Text, string Json, string Bytes,
    string Time, string Day, string AppliedAt, string WithoutRowId);
