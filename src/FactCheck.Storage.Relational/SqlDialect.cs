namespace FactCheck.Storage.Relational;

/// <summary>
/// What differs between the databases in the statements they share: how values are sent and read, a few SQL
/// fragments (lists, keyset bounds, row locks), how concurrent writers are serialized, and how the driver reports
/// failures. Statements name their parameters with '@', which both drivers accept, and hold values as Core does
/// (times, days, lists, <see cref="JsonText"/>); the dialect converts them.
/// </summary>
/// <param name="sendsBatches">Whether a <see cref="StatementBatch"/> goes to the database in one round trip (a DbBatch)
/// rather than statement by statement.</param>
/// <param name="forUpdate">Ends a SELECT in a write transaction: locks the rows read until commit, so that no other
/// writer changes them in between (empty where writers are serialized whole).</param>
/// <param name="forShare">As <paramref name="forUpdate"/>, but only keeps the rows from changing, as other readers may too.</param>
/// <param name="insertionOrder">The column that orders a table's rows as inserted, for a table without a sequence
/// column of its own.</param>
public abstract class SqlDialect(bool sendsBatches, string forUpdate, string forShare, string insertionOrder)
{
    public bool SendsBatches => sendsBatches;
    public string ForUpdate => forUpdate;
    public string ForShare => forShare;

    /// <summary>Ends a SELECT in a write transaction that claims rows for this worker: locks them, and skips those
    /// another transaction holds (empty where writers are serialized whole).</summary>
    public virtual string ForUpdateSkipLocked => ForUpdate;
    public string InsertionOrder => insertionOrder;

    // ---- Values ----

    public DbParameter Parameter(string name, object? value)
    {
        var parameter = NewParameter();
        parameter.ParameterName = name;
        SetValue(parameter, value);
        return parameter;
    }

    protected abstract DbParameter NewParameter();

    /// <summary>Sets <paramref name="value"/> as this database keeps it: null as NULL, and the database's form of
    /// <see cref="DateTimeOffset"/>, <see cref="DateOnly"/>, string[] and long[] lists and <see cref="JsonText"/>.</summary>
    public abstract void SetValue(DbParameter parameter, object? value);

    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public abstract DateOnly ReadDay(DbDataReader reader, int ordinal);

    // ---- SQL fragments ----

    /// <summary>A condition: <paramref name="column"/> equals one of the values of the list parameter.</summary>
    public abstract string IsIn(string column, string listParameter);

    /// <summary>A table of one row per value of the list parameter, the value in column <c>value</c> of <paramref name="alias"/>.</summary>
    public abstract string Elements(string listParameter, string alias);

    /// <summary>The condition (first, second) &lt; (firstBound, secondBound), in the form with which this database
    /// bounds a range of an index on (first DESC, second DESC) rather than filtering a scan.</summary>
    public abstract string PairBelow(string first, string second, string firstBound, string secondBound);

    // ---- JSON (to read a row with its child rows in one statement) ----

    /// <summary>A JSON array of the values of the given SQL expressions.</summary>
    public abstract string JsonArray(params string[] values);

    /// <summary>A scalar subquery: the JSON array of <paramref name="element"/> over the rows of <paramref name="table"/>
    /// AS <paramref name="alias"/> that meet <paramref name="where"/>, in the order of <paramref name="orderBy"/>; an empty
    /// array when there are none.</summary>
    public abstract string JsonArrayOf(string element, string table, string alias, string where, string orderBy);

    /// <summary>A JSON column, to embed in JSON as JSON rather than as a string.</summary>
    public virtual string JsonColumn(string column) => column;

    /// <summary>A time column as unix microseconds, the form times take in JSON built by the database.</summary>
    public virtual string JsonTime(string column) => column;

    // ---- Writers ----

    /// <summary>
    /// Inserts rows (<see cref="DbSession.InsertRowsAsync"/>) the fastest way this database has. By default one INSERT,
    /// compiled once and rebound for every row (<see cref="StatementBatch"/>), which suits an in-process database.
    /// </summary>
    public virtual Task InsertRowsAsync(DbSession session, string table, IReadOnlyList<(string Name, object? Value)[]> rows,
        CancellationToken cancellationToken)
    {
        var names = rows[0].Select(column => column.Name).ToArray();
        var insert = $"INSERT INTO {table} ({string.Join(", ", names.Select(name => name.TrimStart('@')))}) VALUES ({string.Join(", ", names)})";
        var batch = session.Batch();
        foreach (var row in rows) batch.Add(insert, row);
        return batch.ExecuteAsync(cancellationToken);
    }

    /// <summary>
    /// Makes the caller's write transaction wait, until commit, for any other transaction serialized on the same
    /// <paramref name="scope"/> and <paramref name="key"/>, across every server instance. Nothing to do where writers
    /// are serialized whole (one at a time per database).
    /// </summary>
    public abstract Task SerializeAsync(DbSession session, WriteScope scope, string? key, CancellationToken cancellationToken);

    // ---- Failures ----

    /// <summary>The driver's exception as Core's (<see cref="StoreException"/> and its kinds).</summary>
    public abstract StoreException Translate(DbException exception);
}

/// <summary>What concurrent writers serialize on (<see cref="SqlDialect.SerializeAsync"/>). The numbers are PostgreSQL
/// advisory lock classes: servers of two versions running on one database must use the same ones.</summary>
public enum WriteScope
{
    Migrations = 1,
    WikidataId = 2,
    /// <summary>Held by the transaction appending to the audit log, from reading its last event to commit.</summary>
    AuditLog = 3,
    /// <summary>Held by a transaction changing claim_vectors, from reading the feed's last position to commit, so that
    /// positions are assigned in commit order.</summary>
    Vectors = 4,
}

/// <summary>A value for a JSON column: text, which the database may keep in a JSON type of its own.</summary>
public readonly record struct JsonText(string Text)
{
    public static JsonText Of<T>(T value) => new(ToJson(value));
}
