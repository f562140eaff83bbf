using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FactCheck.Storage.Sqlite;

public static class SqliteStoreRegistration
{
    /// <summary>The storage ports over the SQLite file that <c>Storage:Sqlite</c> configures
    /// (<see cref="SqliteStoreOptions"/>), created and migrated as the host starts.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSqliteStore(configuration.GetSection("Storage:Sqlite").Get<SqliteStoreOptions>() ?? new SqliteStoreOptions());

    public static IServiceCollection AddSqliteStore(this IServiceCollection services, SqliteStoreOptions options) =>
        services.AddRelationalStore(
            provider => new SqliteDatabase(options, provider.GetRequiredService<TimeProvider>()),
            database => new SqliteClaimStore(database),
            database => new ClaimSearch(database, SqliteClaimSearch.Queries));
}
