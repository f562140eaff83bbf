using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FactCheck.Caching;

/// <summary>Degraded (still serving, from the store) while Redis is unavailable; healthy when no cache is configured.</summary>
public sealed class CacheHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statistics = services.GetService<CacheStatistics>();
        return Task.FromResult(statistics switch
        {
            null => HealthCheckResult.Healthy("no cache configured"),
            _ when statistics.Snapshot().Degraded => HealthCheckResult.Degraded("Redis unavailable: answering from the store"),
            _ => HealthCheckResult.Healthy("Redis cache in use"),
        });
    }
}
