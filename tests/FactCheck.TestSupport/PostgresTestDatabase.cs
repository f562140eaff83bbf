using Npgsql;

namespace FactCheck.TestSupport;

/// <summary>
/// A database of one test's own on the PostgreSQL cluster that scripts/test.sh starts, created empty and dropped
/// (with any connections still open to it) at dispose.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private const string AdminVariable = "FACTCHECK_TEST_POSTGRES";

    private readonly string adminConnectionString;
    private readonly string name = "fc_" + Guid.NewGuid().ToString("N");

    private PostgresTestDatabase(string adminConnectionString)
    {
        this.adminConnectionString = adminConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ToString();
    }

    public string ConnectionString { get; }

    /// <summary>Fails, never skips, without a cluster: a test run that cannot check the PostgreSQL store must not pass.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(AdminVariable);
        if (string.IsNullOrEmpty(admin))
            throw new InvalidOperationException($"{AdminVariable} is not set: run scripts/test.sh, which starts PostgreSQL");
        var database = new PostgresTestDatabase(admin);
        // Identifiers cannot be parameters; the name is ours (fc_ and hex digits). FILE_COPY copies the template's
        // files rather than writing them all to the WAL: twice as fast on the test cluster, which skips fsync.
        await database.AdminAsync($"CREATE DATABASE {database.name} STRATEGY FILE_COPY");
        return database;
    }

    /// <summary>The first column of every row as text, on a connection of the test's own (not a store's pool).</summary>
    public async Task<List<string>> QueryAsync(string sql, (string Name, object? Value)[]? parameters = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters ?? []) command.Parameters.AddWithValue(parameterName, value ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    public async ValueTask DisposeAsync() => await AdminAsync($"DROP DATABASE {name} WITH (FORCE)");

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
