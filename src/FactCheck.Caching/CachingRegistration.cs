using FactCheck.Core.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace FactCheck.Caching;

public static class CachingRegistration
{
    /// <summary>
    /// The cached-read facade (<see cref="CachedReads"/>) and the listener to domain events that keeps it coherent.
    /// With <c>ConnectionStrings:Redis</c> set they stand on one shared multiplexer for the process and the Redis
    /// cache, started with the host. Without it: no cache at all, every read goes to the store.
    /// </summary>
    public static IServiceCollection AddResponseCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new CachedReads(sp.GetRequiredService<IResponseCache>()));
        services.AddSingleton<IDomainEventListener, CacheInvalidation>();
        var connectionString = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton<IResponseCache, UncachedResponses>();
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
        services.AddHostedService<CacheStartup>();
        return services;
    }

    private sealed class CacheStartup(RedisResponseCache cache) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => cache.StartAsync();
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
