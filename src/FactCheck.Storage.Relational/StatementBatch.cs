namespace FactCheck.Storage.Relational;

/// <summary>
/// Statements run in order in the session's transaction, the way that is fastest on each database. PostgreSQL gets
/// them in one round trip (a DbBatch), however many. SQLite runs in-process, so there are no round trips to save (and
/// its driver has no batches): the statements run one by one, and each distinct statement is compiled once and
/// rebound for every later row, so that a bulk insert parses its SQL once rather than once per row.
/// </summary>
public sealed class StatementBatch(DbSession session)
{
    private readonly List<(string Sql, (string Name, object? Value)[] Parameters)> statements = [];

    public StatementBatch Add(string sql, params (string Name, object? Value)[] parameters)
    {
        statements.Add((sql, parameters));
        return this;
    }

    public Task ExecuteAsync(CancellationToken cancellationToken) => RunAsync<object?>(null, cancellationToken);

    /// <summary>The rows of every statement, in order (for INSERT ... RETURNING).</summary>
    public Task<List<T>> QueryAsync<T>(Func<DbRow, T> read, CancellationToken cancellationToken) => RunAsync(read, cancellationToken);

    private async Task<List<T>> RunAsync<T>(Func<DbRow, T>? read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        if (statements.Count == 0) return rows;
        try
        {
            if (session.Dialect.SendsBatches) await RunInOneRoundTripAsync(read, rows, cancellationToken);
            else await RunOneByOneAsync(read, rows, cancellationToken);
        }
        catch (DbException e)
        {
            throw session.Dialect.Translate(e);
        }
        return rows;
    }

    private async Task RunInOneRoundTripAsync<T>(Func<DbRow, T>? read, List<T> rows, CancellationToken cancellationToken)
    {
        await using var batch = session.Connection.CreateBatch();
        foreach (var (sql, parameters) in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.Add(session.Dialect.Parameter(name, value));
            batch.BatchCommands.Add(command);
        }
        await ExecuteAsync(batch.ExecuteNonQueryAsync, batch.ExecuteReaderAsync, read, rows, cancellationToken);
    }

    private async Task RunOneByOneAsync<T>(Func<DbRow, T>? read, List<T> rows, CancellationToken cancellationToken)
    {
        var compiled = new Dictionary<string, DbCommand>();
        try
        {
            foreach (var (sql, parameters) in statements)
            {
                if (compiled.TryGetValue(sql, out var command)) session.Rebind(command, parameters);
                else compiled[sql] = command = session.Command(sql, parameters);
                await ExecuteAsync(command.ExecuteNonQueryAsync, command.ExecuteReaderAsync, read, rows, cancellationToken);
            }
        }
        finally
        {
            foreach (var command in compiled.Values) await command.DisposeAsync();
        }
    }

    /// <summary>Runs a command or a batch, reading the rows of each of its results when there is a reader.</summary>
    private async Task ExecuteAsync<T>(Func<CancellationToken, Task<int>> execute, Func<CancellationToken, Task<DbDataReader>> executeReader,
        Func<DbRow, T>? read, List<T> rows, CancellationToken cancellationToken)
    {
        if (read is null)
        {
            await execute(cancellationToken);
            return;
        }
        await using var reader = await executeReader(cancellationToken);
        do await session.ReadRowsAsync(reader, read, rows, cancellationToken);
        while (await reader.NextResultAsync(cancellationToken));
    }
}
