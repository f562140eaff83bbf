using static SQLitePCL.raw;

namespace FactCheck.Storage.Sqlite;

/// <summary>
/// SQLite's side of the shared statements. It runs in-process, so a batch saves no round trip (and the driver has no
/// DbBatch): statements run one by one. Writers are serialized whole (<see cref="SqliteDatabase"/>), so no row is
/// locked on its own and nothing else needs serializing. A table's rowid follows insertion order.
/// </summary>
internal sealed class SqliteDialect() : SqlDialect(sendsBatches: false, forUpdate: "", forShare: "", insertionOrder: "rowid")
{
    // Times are unix microseconds and days DateOnly.DayNumber, in INTEGER columns. A list travels as one JSON array
    // parameter read with json_each, however many values: no statement-size or parameter-count limit, no chunking.
    public override void SetValue(DbParameter parameter, object? value) => parameter.Value = value switch
    {
        null => DBNull.Value,
        DateTimeOffset time => ToMicros(time),
        DateOnly day => day.DayNumber,
        string[] or long[] => ToJson(value),
        JsonText json => json.Text,
        _ => value,
    };

    protected override DbParameter NewParameter() => new SqliteParameter();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => FromMicros(reader.GetInt64(ordinal));

    public override DateOnly ReadDay(DbDataReader reader, int ordinal) => DateOnly.FromDayNumber(reader.GetInt32(ordinal));

    public override string IsIn(string column, string listParameter) => $"{column} IN (SELECT value FROM json_each({listParameter}))";

    public override string Elements(string listParameter, string alias) => $"json_each({listParameter}) AS {alias}";

    /// <remarks>"first &lt;= bound" is what bounds the index range; the OR alone (or a row value) would make SQLite
    /// scan from the newest entry and filter.</remarks>
    public override string PairBelow(string first, string second, string firstBound, string secondBound) =>
        $"{first} <= {firstBound} AND ({first} < {firstBound} OR {second} < {secondBound})";

    public override string JsonArray(params string[] values) => $"json_array({string.Join(", ", values)})";

    /// <remarks>Not json_group_array(... ORDER BY ...), which sorts in a temporary B-tree even when an index gives the
    /// order: the rows come ordered from a subquery instead, which SQLite never flattens into an aggregate (rule 16 of
    /// its query flattener), so the aggregate takes them in that order.</remarks>
    public override string JsonArrayOf(string element, string table, string alias, string where, string orderBy) =>
        $"(SELECT json_group_array({element}) FROM (SELECT * FROM {table} {alias} WHERE {where} ORDER BY {orderBy}) AS {alias})";

    // JSON columns are TEXT: json() makes them JSON values again. Times are already unix microseconds.
    public override string JsonColumn(string column) => $"json({column})";

    public override Task SerializeAsync(DbSession session, WriteScope scope, string? key, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public override StoreException Translate(DbException exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SQLITE_BUSY or SQLITE_LOCKED } busy =>
            new StoreBusyException("the SQLite database stayed locked by another writer", busy),
        // "UNIQUE constraint failed: api_keys.secret_hash": the constraint is named by its table and columns.
        // Disk full, or MaxPageCount reached: the transaction is rolled back whole, and writes work again once there is room.
        SqliteException { SqliteErrorCode: SQLITE_FULL } full =>
            new StoreUnavailableException("the SQLite database is full (disk or max_page_count)", full),
        SqliteException { SqliteErrorCode: SQLITE_CONSTRAINT } conflict =>
            new StoreConflictException(conflict.Message, conflict.Message.Split("constraint failed: ").ElementAtOrDefault(1)?.TrimEnd('.', '\''), conflict),
        _ => new StoreException("the SQLite database failed: " + exception.Message, exception),
    };

    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}
