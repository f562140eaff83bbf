using FactCheck.Core.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FactCheck.Search;

/// <summary>
/// Keeps the search index near the end of the audit log in the background, so a search rarely has more than a few
/// events to index first: checks the log twice a second (at once again while there is a backlog), and commits the
/// index to disk at most every five seconds and at shutdown, so a restart resumes close to where it stopped.
/// </summary>
public sealed class ClaimIndexUpdater(IndexedClaimSearch search, ILogger<ClaimIndexUpdater> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CommitEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = false;
        var lastCommit = TimeProvider.System.GetTimestamp();
        var uncommitted = false;
        var outage = new OutageReports(TimeProvider.System);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!started)
                {
                    await search.StartAsync(stoppingToken);
                    started = true;
                }
                var read = await search.CatchUpAsync(stoppingToken);
                outage.Succeeded(lasted => logger.LogInformation("Search index updates resumed after {Outage}", lasted));
                uncommitted |= read > 0;
                if (uncommitted && TimeProvider.System.GetElapsedTime(lastCommit) >= CommitEvery)
                {
                    await search.CommitAsync(stoppingToken);
                    (lastCommit, uncommitted) = (TimeProvider.System.GetTimestamp(), false);
                }
                if (read == 0) await Task.Delay(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store may be unavailable for a while: retry, never stop the host. Until the start completes,
                // searches use the store's own index; afterwards each search catches up (or fails) on its own.
                outage.Failed(e, first => logger.LogWarning(first, "Search index update failed; retrying every {Poll}", Poll),
                    (lasted, problem) => logger.LogWarning("Search index update still failing after {Outage}: {Problem}", lasted, problem));
                try
                {
                    await Task.Delay(Poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await search.CommitAsync(cancellationToken);
    }
}
