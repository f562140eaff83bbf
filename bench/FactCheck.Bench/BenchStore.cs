using FactCheck.Search;
using FactCheck.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FactCheck.Bench;

/// <summary>A loaded bench database opened in process, as the server wires its store.</summary>
public static class BenchStore
{
    /// <summary>The SQLite store (its schema brought up to date); with <paramref name="indexPath"/>, the Lucene index
    /// in front of it.</summary>
    public static async Task<ServiceProvider> OpenSqliteAsync(string database, string? indexPath)
    {
        var collection = new ServiceCollection().AddSingleton(TimeProvider.System).AddSqliteStore(new SqliteStoreOptions { Path = database });
        if (indexPath is not null) collection.AddIndexedClaimSearch(indexPath);
        var services = collection.BuildServiceProvider();
        foreach (var hosted in services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        return services;
    }

    /// <summary>A connection that reads the database file directly, as it is, and can never write to it.</summary>
    public static SqliteConnection OpenReadOnly(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        return connection;
    }
}
