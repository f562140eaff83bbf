using FactCheck.Semantics.Index;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FactCheck.Semantics.Hosting;

/// <summary>
/// The <c>semantics</c> health check: Degraded (still serving, by words alone) while the model loads or the index is
/// being built; Healthy otherwise, or when no model is configured. Its data carries the model, the vectors in this
/// instance's index, the feed position applied and the indexer's backlog.
/// </summary>
public sealed class SemanticsHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<SemanticIndex>() is not { } index)
            return Task.FromResult(HealthCheckResult.Healthy("no sentence model configured (Semantics:Embedder): verifying by words only"));
        var statistics = services.GetRequiredService<SemanticStatistics>();
        var data = new Dictionary<string, object>
        {
            ["model"] = index.Model.ToString(),
            ["indexed"] = index.Count,
            ["feedPosition"] = index.Position,
            ["backlog"] = statistics.Backlog,
            ["embeddedHere"] = statistics.Embedded,
        };
        return Task.FromResult(!index.EmbedderAsync().IsCompletedSuccessfully || !index.IsBuilt
            ? HealthCheckResult.Degraded("semantic index loading: verifying by words only until it is built", data: data)
            : HealthCheckResult.Healthy(statistics.Backlog > 0 ? $"{statistics.Backlog} claims waiting to be embedded" : "semantic index current", data: data));
    }
}
