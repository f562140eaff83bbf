namespace FactCheck.Storage.Postgres;

public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string naming an existing database; the store creates its tables itself.</summary>
    public string ConnectionString { get; set; } = "";
}
