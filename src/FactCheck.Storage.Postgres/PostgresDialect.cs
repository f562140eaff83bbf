using NpgsqlTypes;

namespace FactCheck.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of the shared statements. A batch is one round trip, however many statements. Any number of
/// server instances write at once, so what SQLite gets from serialized writers this database gets from row locks
/// (NO KEY: they do not block inserts of rows referring to the locked one, such as appearances and reviews) and
/// transaction-level advisory locks. Tables have no insertion order of their own; api_keys has a seq column for it.
/// </summary>
internal sealed class PostgresDialect()
    : SqlDialect(sendsBatches: true, forUpdate: "FOR NO KEY UPDATE", forShare: "FOR SHARE", insertionOrder: "seq")
{
    public override string ForUpdateSkipLocked => "FOR UPDATE SKIP LOCKED";

    protected override DbParameter NewParameter() => new NpgsqlParameter();

    /// <summary>Values keep their own types (timestamptz, date, arrays); JSON goes as jsonb, the JSON columns' type.</summary>
    public override void SetValue(DbParameter parameter, object? value)
    {
        if (value is JsonText json)
        {
            ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Jsonb;
            parameter.Value = json.Text;
        }
        else parameter.Value = value ?? DBNull.Value;
    }

    /// <summary>Binary COPY: the rows stream to the server in one operation, with nothing to parse or plan per row, where
    /// a batch of INSERTs still makes the server parse, plan and run a statement for each. Each value is written as its
    /// column's type, which binary COPY needs exactly: long as bigint, int as integer, and so on. A few rows go as a
    /// batch of INSERTs, one round trip, where COPY's start and end would cost more than they save.</summary>
    public override async Task InsertRowsAsync(DbSession session, string table, IReadOnlyList<(string Name, object? Value)[]> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count < BulkRows)
        {
            await base.InsertRowsAsync(session, table, rows, cancellationToken);
            return;
        }
        var columns = string.Join(", ", rows[0].Select(column => column.Name.TrimStart('@')));
        await using var import = await ((NpgsqlConnection)session.Connection)
            .BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            foreach (var (_, value) in row)
                await (value switch
                {
                    null => import.WriteNullAsync(cancellationToken),
                    long number => import.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken),
                    int number => import.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken),
                    double number => import.WriteAsync(number, NpgsqlDbType.Double, cancellationToken),
                    string text => import.WriteAsync(text, NpgsqlDbType.Text, cancellationToken),
                    DateTimeOffset time => import.WriteAsync(time, NpgsqlDbType.TimestampTz, cancellationToken),
                    DateOnly day => import.WriteAsync(day, NpgsqlDbType.Date, cancellationToken),
                    byte[] bytes => import.WriteAsync(bytes, NpgsqlDbType.Bytea, cancellationToken),
                    JsonText json => import.WriteAsync(json.Text, NpgsqlDbType.Jsonb, cancellationToken),
                    _ => throw new ArgumentException($"no COPY type for {value.GetType()} ({table})"),
                });
        }
        await import.CompleteAsync(cancellationToken);
    }

    /// <summary>Rows below which bulk writes (<see cref="InsertRowsAsync"/>, <see cref="ColumnArrays"/>) are not worth
    /// their fixed cost: a batch of a statement per row is then as fast.</summary>
    public const int BulkRows = 16;

    /// <summary>
    /// Rows (as for <see cref="InsertRowsAsync"/>) turned into one typed array per column, for a single
    /// <c>INSERT ... SELECT ... FROM unnest(@a, @b, ...)</c>: one statement however many rows, for a table whose row
    /// needs SQL expressions, which COPY cannot run. A column that is NULL in every row is left out (it has no element
    /// type to send, and its default is NULL).
    /// </summary>
    public static List<(string Name, object? Value)> ColumnArrays(IReadOnlyList<(string Name, object? Value)[]> rows)
    {
        var columns = new List<(string, object?)>();
        for (var column = 0; column < rows[0].Length; column++)
        {
            var values = rows.Select(row => row[column].Value).ToList();
            if (values.FirstOrDefault(value => value is not null) is not { } first) continue;
            var type = first.GetType();
            var array = Array.CreateInstance(type.IsValueType && values.Contains(null) ? typeof(Nullable<>).MakeGenericType(type) : type, values.Count);
            for (var i = 0; i < values.Count; i++) array.SetValue(values[i], i);
            columns.Add((rows[0][column].Name, array));
        }
        return columns;
    }

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override DateOnly ReadDay(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    // A list is one array parameter, however many values.
    public override string IsIn(string column, string listParameter) => $"{column} = ANY({listParameter})";

    public override string Elements(string listParameter, string alias) => $"unnest({listParameter}) AS {alias}(value)";

    /// <remarks>A row comparison, which the planner turns into the bound of an index range.</remarks>
    public override string PairBelow(string first, string second, string firstBound, string secondBound) =>
        $"({first}, {second}) < ({firstBound}, {secondBound})";

    public override string JsonArray(params string[] values) => $"json_build_array({string.Join(", ", values)})";

    // json_agg of no rows is NULL, not [].
    public override string JsonArrayOf(string element, string table, string alias, string where, string orderBy) =>
        $"(SELECT coalesce(json_agg({element} ORDER BY {orderBy}), '[]'::json) FROM {table} {alias} WHERE {where})";

    // extract(epoch) is numeric (exact) since PostgreSQL 14; on 13 it is a double, whose error at today's times is
    // well under half a microsecond, so the rounding cast still gives the stored microseconds.
    public override string JsonTime(string column) => $"(extract(epoch FROM {column}) * 1000000)::int8";

    /// <summary>A transaction-level advisory lock, released at commit or rollback: (scope, 0), or (scope, hash of the key).</summary>
    public override Task SerializeAsync(DbSession session, WriteScope scope, string? key, CancellationToken cancellationToken) =>
        key is null
            ? session.ExecuteAsync("SELECT pg_advisory_xact_lock(@class, 0)", cancellationToken, ("@class", (int)scope))
            : session.ExecuteAsync("SELECT pg_advisory_xact_lock(@class, hashtext(@key))", cancellationToken, ("@class", (int)scope), ("@key", key));

    public override StoreException Translate(DbException exception) => exception switch
    {
        // Class 23, integrity constraint violation: unique, foreign key, check, ...
        PostgresException { SqlState: var state } conflict when state.StartsWith("23", StringComparison.Ordinal) =>
            new StoreConflictException(conflict.MessageText, conflict.ConstraintName, conflict),
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable } busy =>
            new StoreBusyException("PostgreSQL broke a lock wait between concurrent writers: " + busy.MessageText, busy),
        // Connection failures, timeouts, a server shutting down or out of resources.
        NpgsqlException { IsTransient: true } unavailable => new StoreUnavailableException("the PostgreSQL database is not answering", unavailable),
        _ => new StoreException("the PostgreSQL database failed: " + exception.Message, exception),
    };
}
