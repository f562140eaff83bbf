using System.Runtime.CompilerServices;

namespace FactCheck.Storage.Relational;

/// <summary>
/// A database the stores run their transactions on: connections, transactions and the schema, which each database
/// opens its own way. Every change is one write transaction; a read that takes several statements (claims, then
/// their appearances) is one read transaction, so all of them see one snapshot even while writes commit. Driver
/// exceptions leave as <see cref="StoreException"/>s.
/// </summary>
public abstract class RelationalDatabase(SqlDialect dialect, TimeProvider clock) : IAsyncDisposable
{
    public SqlDialect Dialect => dialect;
    public TimeProvider Clock => clock;

    /// <summary>How this database spells the shared schema (<see cref="SharedSchema"/>).</summary>
    protected abstract SchemaDialect Schema { get; }

    /// <summary>Brings the schema up to date, up to <paramref name="upToVersion"/> (tests stop early to have a
    /// database as an older server left it).</summary>
    public virtual Task MigrateAsync(CancellationToken cancellationToken, int upToVersion = int.MaxValue) =>
        MigrationRunner.ApplyAsync(this, Schema, upToVersion, cancellationToken);

    /// <summary>One round trip to the database: throws when it cannot be reached.</summary>
    public abstract Task PingAsync(CancellationToken cancellationToken);

    /// <summary>A read of several statements, in one read transaction, so that all of them see one snapshot.</summary>
    public Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken) =>
        ReadAsync(read, inTransaction: true, cancellationToken);

    /// <summary>A read of one statement, outside any transaction: a statement sees one snapshot by itself, and without
    /// BEGIN and COMMIT it is one round trip to PostgreSQL.</summary>
    public Task<T> ReadStatementAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken) =>
        ReadAsync(read, inTransaction: false, cancellationToken);

    private async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, bool inTransaction, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(forWrite: false, cancellationToken);
            await using var transaction = inTransaction ? await BeginAsync(connection, forWrite: false, cancellationToken) : null;
            return await read(new DbSession(connection, dialect, clock));
        }
        catch (DbException e)
        {
            throw dialect.Translate(e);
        }
    }

    /// <summary>One write transaction, committed when <paramref name="write"/> returns; an exception rolls it back.</summary>
    public async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            using var turn = await WaitForWriterTurnAsync(cancellationToken);
            await using var connection = await OpenConnectionAsync(forWrite: true, cancellationToken);
            await using var transaction = await BeginAsync(connection, forWrite: true, cancellationToken);
            var result = await write(new DbSession(connection, dialect, clock));
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (DbException e)
        {
            throw dialect.Translate(e);
        }
    }

    /// <summary>
    /// The rows of one statement, read off the connection as the caller consumes them, so a result of any length
    /// streams in constant memory. A single statement sees one snapshot however long the caller takes.
    /// </summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(string sql, Func<DbRow, T> read, [EnumeratorCancellation] CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        DbConnection connection;
        try
        {
            connection = await OpenConnectionAsync(forWrite: false, cancellationToken);
        }
        catch (DbException e)
        {
            throw dialect.Translate(e);
        }
        await using (connection)
        {
            await using var command = new DbSession(connection, dialect, clock).Command(sql, parameters);
            DbDataReader reader;
            try
            {
                reader = await command.ExecuteReaderAsync(cancellationToken);
            }
            catch (DbException e)
            {
                throw dialect.Translate(e);
            }
            await using (reader)
            {
                var row = new DbRow(reader, dialect);
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await reader.ReadAsync(cancellationToken);
                    }
                    catch (DbException e)
                    {
                        throw dialect.Translate(e);
                    }
                    if (!more) yield break;
                    yield return read(row);
                }
            }
        }
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>An open connection, set up for reading or for writing.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(bool forWrite, CancellationToken cancellationToken);

    protected abstract Task<DbTransaction> BeginAsync(DbConnection connection, bool forWrite, CancellationToken cancellationToken);

    /// <summary>Waits until this process may start a write transaction, until the result is disposed. Nothing to wait
    /// for where the database queues writers itself.</summary>
    protected virtual ValueTask<IDisposable?> WaitForWriterTurnAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable?>(null);
}
