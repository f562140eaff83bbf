using FactCheck.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FactCheck.Server.Hosting;

/// <summary>Unhealthy (gRPC NOT_SERVING) when the database does not answer within a few seconds.</summary>
public sealed class StoreHealthCheck(IInstallationStore store) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy("store answers");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("store unreachable", e);
        }
    }
}
