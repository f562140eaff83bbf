using FactCheck.Core.Caching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace FactCheck.Caching;

public static class CachingRegistration
{
    /// <summary>
    /// With <c>ConnectionStrings:Redis</c> set: one shared multiplexer for the process, the Redis cache as both the
    /// read cache and the write-side change feed, started with the host. Without it: no cache at all.
    /// </summary>
    public static IServiceCollection AddResponseCache(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton<IResponseCache, UncachedResponses>();
            services.AddSingleton<IChangeFeed, NoChangeFeed>();
            return services;
        }

        var options = configuration.GetSection("Cache").Get<CacheOptions>() ?? new CacheOptions();
        services.AddSingleton(options);
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var redis = ConfigurationOptions.Parse(connectionString);
            // Never fail start-up or an RPC because Redis is away: connect in the background, time out fast.
            redis.AbortOnConnectFail = false;
            redis.ConnectTimeout = Math.Min(redis.ConnectTimeout, 2000);
            redis.AsyncTimeout = Math.Min(redis.AsyncTimeout, (int)options.OperationTimeout.TotalMilliseconds);
            redis.SyncTimeout = Math.Min(redis.SyncTimeout, (int)options.OperationTimeout.TotalMilliseconds);
            // Reconnect promptly after Redis restarts instead of backing off exponentially.
            redis.ReconnectRetryPolicy = new LinearRetry(500);
            return ConnectionMultiplexer.Connect(redis);
        });
        services.AddSingleton<CacheStatistics>();
        services.AddSingleton<RedisResponseCache>();
        services.AddSingleton<IResponseCache>(sp => sp.GetRequiredService<RedisResponseCache>());
        services.AddSingleton<IChangeFeed>(sp => sp.GetRequiredService<RedisResponseCache>());
        services.AddHostedService<CacheStartup>();
        return services;
    }

    private sealed class CacheStartup(RedisResponseCache cache) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => cache.StartAsync();
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
