namespace FactCheck.Storage.Relational;

/// <summary>
/// One open connection, in its transaction if it has one, with the database's dialect and clock: parameterized
/// statements in one line. Values are always bound as parameters, never spliced into SQL. A driver exception leaves
/// as Core's <see cref="StoreException"/>, so the stores' shared code can catch a conflict without knowing the driver.
/// </summary>
public sealed class DbSession(DbConnection connection, SqlDialect dialect, TimeProvider clock)
{
    public DbConnection Connection => connection;
    public SqlDialect Dialect => dialect;

    private DateTimeOffset? now;

    /// <summary>The time a change made now is stored with, truncated to the microsecond: one time for the whole
    /// session, as PostgreSQL's now() is the transaction's, so a record and the audit event of its change carry the same
    /// time and the log read "as of" a record's update_time finds that change.</summary>
    public DateTimeOffset Now() => now ??= TruncateToMicros(clock.GetUtcNow());

    /// <summary>A command in the connection's transaction (both drivers enlist a connection's commands in it).</summary>
    public DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.Add(dialect.Parameter(name, value));
        return command;
    }

    /// <summary>Sets the parameters of a command run once per row. The command keeps its compiled statement between
    /// executions, so rebinding it costs no SQL parsing, unlike a new command per row.</summary>
    public void Rebind(DbCommand command, (string Name, object? Value)[] parameters)
    {
        var bound = command.Parameters;
        for (var i = 0; i < parameters.Length; i++)
        {
            var (name, value) = parameters[i];
            // Rows of one statement list their parameters in one order, so the look-up by name is rarely needed.
            var index = i < bound.Count && bound[i].ParameterName == name ? i : bound.IndexOf(name);
            if (index >= 0) dialect.SetValue(bound[index], value);
            else bound.Add(dialect.Parameter(name, value));
        }
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        try
        {
            await using var command = Command(sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw dialect.Translate(e);
        }
    }

    /// <summary>The first column of the first row, or null when there is no row or the value is NULL.</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        try
        {
            await using var command = Command(sql, parameters);
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is DBNull ? null : value;
        }
        catch (DbException e)
        {
            throw dialect.Translate(e);
        }
    }

    /// <summary>Every row, each made by <paramref name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbRow, T> read, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        try
        {
            await using var command = Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            await ReadRowsAsync(reader, read, rows, cancellationToken);
            return rows;
        }
        catch (DbException e)
        {
            throw dialect.Translate(e);
        }
    }

    /// <summary>Adds the rows of the reader's current result to <paramref name="rows"/>.</summary>
    public async Task ReadRowsAsync<T>(DbDataReader reader, Func<DbRow, T> read, List<T> rows, CancellationToken cancellationToken)
    {
        var row = new DbRow(reader, dialect);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(row));
    }

    /// <summary>Inserts <paramref name="rows"/> into <paramref name="table"/>, each row its columns' values named as the
    /// columns (with '@'), all rows naming the same columns in the same order: the bulk path of imports
    /// (<see cref="SqlDialect.InsertRowsAsync"/>).</summary>
    public async Task InsertRowsAsync(string table, IReadOnlyList<(string Name, object? Value)[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        try
        {
            await dialect.InsertRowsAsync(this, table, rows, cancellationToken);
        }
        catch (DbException e)
        {
            throw dialect.Translate(e);
        }
    }

    /// <summary>Statements to send together (<see cref="StatementBatch"/>).</summary>
    public StatementBatch Batch() => new(this);
}

/// <summary>The current row of a reader, by ordinal, with the dialect's forms of times and days turned into Core's.</summary>
public readonly struct DbRow(DbDataReader reader, SqlDialect dialect)
{
    public int FieldCount => reader.FieldCount;
    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);
    public string String(int ordinal) => reader.GetString(ordinal);
    public string? NullableString(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    public int Int32(int ordinal) => reader.GetInt32(ordinal);
    public long Int64(int ordinal) => reader.GetInt64(ordinal);
    public double Double(int ordinal) => reader.GetDouble(ordinal);
    public byte[] Bytes(int ordinal) => reader.GetFieldValue<byte[]>(ordinal);
    public DateTimeOffset Time(int ordinal) => dialect.ReadTime(reader, ordinal);
    public DateTimeOffset? NullableTime(int ordinal) => reader.IsDBNull(ordinal) ? null : dialect.ReadTime(reader, ordinal);
    public DateOnly? NullableDay(int ordinal) => reader.IsDBNull(ordinal) ? null : dialect.ReadDay(reader, ordinal);
    /// <summary>A JSON column (lists are kept as JSON arrays: empty, never NULL).</summary>
    public T Json<T>(int ordinal) => FromJson<T>(reader.GetString(ordinal));
}
