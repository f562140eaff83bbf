using FactCheck.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace FactCheck.IntegrationTests.Caching;

/// <summary>Redis plus one or more server instances sharing it and one SQLite database, as several stateless
/// instances behind a load balancer would.</summary>
public sealed class CachedCluster : IAsyncDisposable
{
    private readonly TempDirectory directory = new();

    private CachedCluster(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }
    public List<TestServer> Servers { get; } = [];

    public static async Task<CachedCluster> StartAsync(int instances, params string[] settings)
    {
        var cluster = new CachedCluster(await RedisServer.StartAsync());
        for (var i = 0; i < instances; i++) await cluster.AddServerAsync(settings);
        return cluster;
    }

    /// <summary>Starts one more instance on the cluster's Redis and database.</summary>
    public async Task<TestServer> AddServerAsync(params string[] settings)
    {
        var server = await TestServer.StartAsync(directory.File("factcheck.db"),
        [
            $"--ConnectionStrings:Redis={Redis.ConnectionString}",
            "--Cache:RetryInterval=00:00:00.200",
            // Generous: the test machine is shared and busy; a slow Redis here must not look like a dead one.
            "--Cache:OperationTimeout=00:00:05",
            .. settings,
        ]);
        Servers.Add(server);
        return server;
    }

    public static CacheSnapshot Statistics(TestServer server) => server.Services.GetRequiredService<CacheStatistics>().Snapshot();

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers) await server.DisposeAsync();
        await Redis.DisposeAsync();
        directory.Dispose();
    }
}
