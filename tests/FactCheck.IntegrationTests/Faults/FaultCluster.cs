using FactCheck.Caching;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// Two server processes (A and B) on one PostgreSQL database and one redis-server, as deployed behind a load balancer.
/// A reaches Redis through a <see cref="TcpProxy"/>, so a test can cut A alone off; B connects directly.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private FaultCluster(PostgresTestDatabase database, RedisServer redis, TcpProxy proxy)
    {
        Database = database;
        Redis = redis;
        ProxyForA = proxy;
    }

    public PostgresTestDatabase Database { get; }
    public RedisServer Redis { get; }
    public TcpProxy ProxyForA { get; }
    public ServerProcess A { get; private set; } = null!;
    public ServerProcess B { get; private set; } = null!;
    public IReadOnlyList<ServerProcess> Servers => [A, B];

    public static async Task<FaultCluster> StartAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        var redis = await RedisServer.StartAsync();
        var cluster = new FaultCluster(database, redis, new TcpProxy(redis.EndPoint));
        string[] common = ["--Storage:Provider=postgres", $"--ConnectionStrings:Postgres={database.ConnectionString}", "--Cache:RetryInterval=00:00:00.500"];
        var started = await Task.WhenAll(
            ServerProcess.StartAsync([.. common, $"--ConnectionStrings:Redis={cluster.ProxyForA.Endpoint}"]),
            ServerProcess.StartAsync([.. common, $"--ConnectionStrings:Redis={redis.ConnectionString}"]));
        (cluster.A, cluster.B) = (started[0], started[1]);
        return cluster;
    }

    public static Task<CacheSnapshot> StatisticsAsync(ServerProcess server) => server.GetJsonAsync<CacheSnapshot>("/cache/stats");

    /// <summary>Waits until both instances answer from their caches again; fails with their logs if they do not.</summary>
    public async Task WaitUntilCachesAreBackAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var server in Servers)
        {
            while ((await StatisticsAsync(server)).Degraded)
            {
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"the cache did not come back:\n{server.OutputTail}");
                await Task.Delay(100);
            }
        }
    }

    /// <summary>What both instances printed, for a failure message.</summary>
    public string Logs => $"instance A said:\n{A.OutputTail}\n\ninstance B said:\n{B.OutputTail}";

    public async ValueTask DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        await ProxyForA.DisposeAsync();
        await Redis.DisposeAsync();
        await Database.DisposeAsync();
    }
}
