using System.Runtime.CompilerServices;

namespace FactCheck.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode, a pooled connection per operation. Reads run concurrently on WAL snapshots; writes
/// are serialized (SQLite has a single writer), each one a single transaction, which also appends the change's audit
/// events: serialized writes are what keep the audit chain free of forks and gaps.
/// </summary>
internal sealed class SqliteDatabase : RelationalDatabase
{
    private const int BusyTimeoutMilliseconds = 5000;
    /// <summary>The writer's page cache (readers keep SQLite's default 2 MiB each).</summary>
    private const int WriterCacheKibibytes = 64 * 1024;

    private readonly string connectionString;
    private readonly string writeConnectionString;
    private readonly string readerPragmas;
    private readonly string writerPragmas;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    /// <summary>The SQLite handles whose per-connection PRAGMAs are set; a handle the pool drops drops out.</summary>
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> configured = new();
    private static readonly object Configured = new();

    /// <summary>The database file (created, with its folder, if missing) whose schema <see cref="MigrateAsync"/> brings up to date.</summary>
    public SqliteDatabase(SqliteStoreOptions options, TimeProvider clock) : base(new SqliteDialect(), clock)
    {
        var path = Path.GetFullPath(options.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        // The same database, but a connection string of its own puts writers in a pool of their own (pools are per
        // connection string), so the writer's large page cache is not handed to readers: random-key index inserts
        // (quote shingles, ids) touch many pages per batch, and a warm cache keeps them from being read back in.
        writeConnectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30 }.ToString();
        // Per-connection settings (journal_mode is per file, set once in MigrateAsync). busy_timeout covers other
        // processes on the same file; writers in this process queue on writeLock instead.
        readerPragmas = $"PRAGMA foreign_keys = ON; PRAGMA synchronous = {(options.SynchronousFull ? "FULL" : "NORMAL")}; " +
                        $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds};" +
                        (options.MaxPageCount is { } cap ? $" PRAGMA max_page_count = {cap};" : "");
        writerPragmas = $"{readerPragmas} PRAGMA cache_size = -{WriterCacheKibibytes};";
    }

    protected override SchemaDialect Schema => SqliteSchema.Dialect;

    public override async Task MigrateAsync(CancellationToken cancellationToken, int upToVersion = int.MaxValue)
    {
        // WAL persists in the file: readers then see a snapshot and neither block nor are blocked by the writer.
        await using (var connection = await OpenConnectionAsync(forWrite: true, cancellationToken))
            await new DbSession(connection, Dialect, Clock).ExecuteAsync("PRAGMA journal_mode = WAL", cancellationToken);
        await base.MigrateAsync(cancellationToken, upToVersion);
    }

    public override Task PingAsync(CancellationToken cancellationToken) =>
        ReadAsync(session => session.ScalarAsync("SELECT count(*) FROM schema_migrations", cancellationToken), cancellationToken);

    public override ValueTask DisposeAsync()
    {
        // Closing the pooled connections checkpoints the WAL into the main file and releases it.
        foreach (var pool in new[] { connectionString, writeConnectionString })
            using (var connection = new SqliteConnection(pool)) SqliteConnection.ClearPool(connection);
        writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task<DbConnection> OpenConnectionAsync(bool forWrite, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(forWrite ? writeConnectionString : connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // A pooled connection keeps its settings (the pool hands back the same SQLite handle, PRAGMAs and all), so
            // they are set once per handle: parsing them on every open cost a read about a tenth of its CPU.
            if (!configured.TryGetValue(connection.Handle!, out _))
            {
                await using var pragmas = connection.CreateCommand();
                pragmas.CommandText = forWrite ? writerPragmas : readerPragmas;
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
                configured.AddOrUpdate(connection.Handle!, Configured);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A write is IMMEDIATE: it takes the file's write lock up front (waiting on busy_timeout for other processes), so
    /// a transaction never has to upgrade a read lock midway, which fails with SQLITE_BUSY instead of waiting. A read
    /// is deferred (read-only), so its statements all see one WAL snapshot.
    /// </summary>
    protected override Task<DbTransaction> BeginAsync(DbConnection connection, bool forWrite, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: !forWrite));

    /// <summary>SQLite has a single writer: writers in this process queue here rather than on busy_timeout.</summary>
    protected override async ValueTask<IDisposable?> WaitForWriterTurnAsync(CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        return new WriterTurn(writeLock);
    }

    private sealed class WriterTurn(SemaphoreSlim writeLock) : IDisposable
    {
        public void Dispose() => writeLock.Release();
    }
}
