namespace FactCheck.Storage.Sqlite;

public sealed class SqliteStoreOptions
{
    /// <summary>The database file; its directory is created if missing.</summary>
    public string Path { get; set; } = "data/factcheck.db";

    /// <summary>FULL makes every commit durable across power loss; NORMAL (in WAL mode) may lose the last commits
    /// on power loss but never corrupts, and is faster.</summary>
    public bool SynchronousFull { get; set; } = true;
}
