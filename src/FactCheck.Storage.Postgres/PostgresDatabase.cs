using System.Data;

namespace FactCheck.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by any number of server instances, through a pool of connections per instance.
/// Every change is one read-committed transaction; what the single-writer SQLite store gets from serialized writes,
/// this one gets from row locks, the unique index on request ids and advisory locks (<see cref="PostgresDialect"/>),
/// so that concurrent instances see the same behaviour.
/// </summary>
internal sealed class PostgresDatabase(PostgresStoreOptions options, TimeProvider clock) : RelationalDatabase(new PostgresDialect(), clock)
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(WithAutoPrepare(options.ConnectionString));

    /// <summary>
    /// Npgsql prepares none of a connection's statements unless told: with Max Auto Prepare, a statement run a few times
    /// (Auto Prepare Min Usages, 5) on a connection is prepared there, and later runs skip PostgreSQL's parse and plan.
    /// The stores' statements are a few hundred fixed texts, so 256 per connection keeps them all. A connection string
    /// that sets a maximum keeps it.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 256;
        return builder.ConnectionString;
    }

    protected override SchemaDialect Schema => PostgresSchema.Dialect;

    public override async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw Dialect.Translate(e);
        }
    }

    /// <summary>Closes the pooled connections.</summary>
    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();

    protected override async Task<DbConnection> OpenConnectionAsync(bool forWrite, CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>Writes take the default, read committed (each statement sees what committed before it, which the
    /// advisory locks rely on); reads are repeatable read, so their statements see one snapshot.</summary>
    protected override async Task<DbTransaction> BeginAsync(DbConnection connection, bool forWrite, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(forWrite ? IsolationLevel.Unspecified : IsolationLevel.RepeatableRead,
            cancellationToken);
}
