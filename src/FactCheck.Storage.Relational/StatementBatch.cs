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
        if (read is null)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var row = new DbRow(reader, session.Dialect);
        do
            while (await reader.ReadAsync(cancellationToken)) rows.Add(read(row));
        while (await reader.NextResultAsync(cancellationToken));
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
                if (read is null)
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    continue;
                }
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var row = new DbRow(reader, session.Dialect);
                while (await reader.ReadAsync(cancellationToken)) rows.Add(read(row));
            }
        }
        finally
        {
            foreach (var command in compiled.Values) await command.DisposeAsync();
        }
    }
}
