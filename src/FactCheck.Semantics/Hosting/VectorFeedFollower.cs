using FactCheck.Core.Diagnostics;
using FactCheck.Core.Storage;
using FactCheck.Semantics.Index;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FactCheck.Semantics.Hosting;

/// <summary>Builds this instance's semantic index from the store when the host starts (in the background: the server
/// answers meanwhile, by words), then applies the store's vector feed every <see cref="SemanticOptions.PollInterval"/>,
/// which is how vectors stored or removed by other instances on the same database reach this one.</summary>
public sealed class VectorFeedFollower(SemanticIndex index, SemanticOptions options, TimeProvider clock, ILogger<VectorFeedFollower> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outage = new OutageReports(clock);
        while (!index.IsBuilt)
        {
            try
            {
                var (vectors, took) = await index.BuildAsync(stoppingToken);
                logger.LogInformation("Semantic index ({Model}) built from {Vectors} stored vectors in {Seconds:F1} s", index.Model, vectors, took.TotalSeconds);
                outage.Succeeded(lasted => logger.LogInformation("Semantic index built after the store failed for {Outage}", lasted));
            }
            catch (Exception e) when (e is StoreException or IOException && !stoppingToken.IsCancellationRequested)
            {
                outage.Failed(e, first => logger.LogWarning(first, "Semantic index not built (the store failed); verifying by words only, retrying every {Delay}", RetryAfterFailure),
                    (lasted, problem) => logger.LogWarning("Semantic index still not built after {Outage}: {Problem}", lasted, problem));
                await Task.Delay(RetryAfterFailure, stoppingToken);
            }
        }
        using var timer = new PeriodicTimer(options.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await index.CatchUpAsync(stoppingToken);
                outage.Succeeded(lasted => logger.LogInformation("Vector feed read again after {Outage}", lasted));
            }
            catch (StoreException e)
            {
                outage.Failed(e, first => logger.LogWarning(first, "Could not read the vector feed; the semantic index may lag until the store answers"),
                    (lasted, problem) => logger.LogWarning("Vector feed still unreadable after {Outage}: {Problem}", lasted, problem));
            }
        }
    }
}
