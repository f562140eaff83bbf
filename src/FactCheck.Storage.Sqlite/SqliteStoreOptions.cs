namespace FactCheck.Storage.Sqlite;

public sealed class SqliteStoreOptions
{
    /// <summary>The database file; its directory is created if missing.</summary>
    public string Path { get; set; } = "data/factcheck.db";

    /// <summary>FULL makes every commit durable across power loss; NORMAL (in WAL mode) may lose the last commits
    /// on power loss but never corrupts, and is faster.</summary>
    public bool SynchronousFull { get; set; } = true;

    /// <summary>A cap on the file's size in pages (PRAGMA max_page_count, set on every connection), or null for none:
    /// to keep a database inside its share of a volume, and for the disk-full drill. Writes past it answer
    /// UNAVAILABLE while reads go on.</summary>
    public long? MaxPageCount { get; set; }
}
