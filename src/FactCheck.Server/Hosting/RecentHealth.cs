using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FactCheck.Server.Hosting;

/// <summary>
/// A health check whose answer is reused for <see cref="Freshness"/> after it was given, and shared by every probe that
/// arrives while it is being worked out: however many probes come (load balancers, orchestrators, a storm of them),
/// the check itself runs at most about once a second, so probes never load the database. The check runs on its own,
/// not on one caller's cancellation: a probe that gives up does not fail the others waiting on the same answer.
/// </summary>
public sealed class RecentHealth<TCheck>(TCheck check, TimeProvider clock) : IHealthCheck where TCheck : IHealthCheck
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private Task<HealthCheckResult>? answer;
    private long answeredAt;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task<HealthCheckResult> current;
        lock (gate)
        {
            if (answer is null || (answer.IsCompleted && clock.GetElapsedTime(answeredAt) >= Freshness))
                answer = RunAsync(context);
            current = answer;
        }
        return current.IsCompleted ? current : current.WaitAsync(cancellationToken);
    }

    private async Task<HealthCheckResult> RunAsync(HealthCheckContext context)
    {
        try
        {
            // Yield first, so the check runs outside the lock that publishes it.
            await Task.Yield();
            return await check.CheckHealthAsync(context, CancellationToken.None);
        }
        catch (Exception e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "health check failed", e);
        }
        finally
        {
            lock (gate) answeredAt = clock.GetTimestamp();
        }
    }
}
