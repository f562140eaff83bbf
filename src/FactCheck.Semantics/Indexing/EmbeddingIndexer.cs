using System.Diagnostics;
using FactCheck.Core.Claims;
using FactCheck.Core.Diagnostics;
using FactCheck.Core.Events;
using FactCheck.Core.Relations;
using FactCheck.Core.Semantics;
using FactCheck.Core.Storage;
using FactCheck.Core.Verification;
using FactCheck.Semantics.Hosting;
using FactCheck.Semantics.Index;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FactCheck.Semantics.Indexing;

/// <summary>
/// Embeds queued claims in the background, off the write path (<see cref="IClaimVectorStore"/>): leases a batch,
/// embeds it, stores the vectors, applies them to this instance's index, then suggests relations between each claim
/// and its nearest claims (<see cref="RelationSuggester"/>). A claim written is verifiable by its words at once and by
/// its meaning once this has embedded it.
/// <para>
/// It never competes with a bulk import: while one is writing (a committed write that created several claims at once,
/// within <see cref="IndexerOptions.QuietPeriod"/>) it waits, for at most <see cref="IndexerOptions.MaxDeferral"/>
/// before embedding one batch. It hears of writes through <see cref="WriteActivity"/>, which also wakes it when a claim
/// is created. A failure of the store or the model is logged and retried; a lease that runs out (this instance stopped)
/// returns its claims to the queue, so a restart never skips one.
/// </para>
/// </summary>
public sealed class EmbeddingIndexer(
    SemanticIndex index, IClaimVectorStore vectors, IClaimStore claims, IClaimRelationStore relations, IDomainEvents events,
    WriteActivity writes, SemanticOptions options, MatchThresholds thresholds, SemanticStatistics statistics, TimeProvider clock,
    ILogger<EmbeddingIndexer> logger) : BackgroundService
{
    private static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    private readonly OutageReports outage = new(clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var embedder = await index.EmbedderAsync().WaitAsync(stoppingToken);
        while (!await RetryingAsync(async () =>
        {
            if (await vectors.UseModelAsync(index.Model, stoppingToken))
                logger.LogInformation("The embedding model is now {Model}: every claim is queued to be embedded again", index.Model);
        }, stoppingToken)) { }
        await index.Built.WaitAsync(stoppingToken);

        var counted = DateTimeOffset.MinValue;
        var reported = clock.GetUtcNow();
        var caughtUp = false;
        var rate = Stopwatch.StartNew();
        long since = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            await RetryingAsync(async () =>
            {
                if (clock.GetUtcNow() - counted > CountEvery)
                {
                    statistics.Counted(await vectors.CountQueuedAsync(stoppingToken));
                    counted = clock.GetUtcNow();
                }
                await YieldToImportsAsync(stoppingToken);
                var batch = await vectors.LeaseQueuedAsync(options.Indexer.BatchSize, clock.GetUtcNow() + options.Indexer.LeaseTime, stoppingToken);
                if (batch.Count == 0)
                {
                    if (!caughtUp) logger.LogInformation("Semantic index caught up: {Indexed} claims indexed, none waiting", index.Count);
                    (caughtUp, since) = (true, 0);
                    statistics.Counted(0);
                    // New claims wake it; claims queued through other instances are found on the next poll.
                    await writes.WaitForClaimsAsync(options.PollInterval * 5, stoppingToken);
                    return;
                }
                if (caughtUp) rate.Restart();
                caughtUp = false;
                since += await IndexAsync(embedder, batch, stoppingToken);
                if (clock.GetUtcNow() - reported > ReportEvery)
                {
                    logger.LogInformation("Semantic indexing: {Backlog} claims waiting, {Rate:F0} embedded a second, {Indexed} in the index",
                        statistics.Backlog, since / rate.Elapsed.TotalSeconds, index.Count);
                    reported = clock.GetUtcNow();
                }
            }, stoppingToken);
        }
    }

    /// <summary>Embeds and stores one leased batch, indexes it, and suggests its relations. Returns the claims stored.</summary>
    internal async Task<int> IndexAsync(ITextEmbedder embedder, IReadOnlyList<TextToEmbed> batch, CancellationToken cancellationToken)
    {
        var embedded = await embedder.EmbedAsync([.. batch.Select(t => t.Text)], cancellationToken);
        var stored = (await vectors.SaveVectorsAsync(index.Model,
            [.. batch.Select((t, i) => new EmbeddedText(t.ClaimKey, t.Version, embedded[i]))], cancellationToken)).ToHashSet();
        statistics.Stored(stored.Count);
        await index.CatchUpAsync(cancellationToken);
        if (options.Indexer.SuggestRelations && stored.Count > 0)
            await SuggestRelationsAsync([.. batch.Select((t, i) => (t.ClaimKey, Vector: embedded[i])).Where(c => stored.Contains(c.ClaimKey))], cancellationToken);
        return stored.Count;
    }

    private async Task SuggestRelationsAsync(IReadOnlyList<(long Key, float[] Vector)> embedded, CancellationToken cancellationToken)
    {
        var neighbours = embedded.ToDictionary(c => c.Key, c => index.Nearest(c.Vector, options.Indexer.RelationNeighbours + 1)
            .Where(h => h.ClaimKey != c.Key && h.Cosine >= thresholds.Related).ToList());
        var keys = embedded.Select(c => c.Key).Concat(neighbours.Values.SelectMany(hits => hits.Select(h => h.ClaimKey))).Distinct().ToList();
        var found = (await claims.GetKeyedClaimsAsync([], keys, cancellationToken)).ToDictionary(c => c.Sequence, c => c.Item);
        var now = clock.GetUtcNow();
        var suggestions = embedded
            .Where(c => found.ContainsKey(c.Key))
            .SelectMany(c => RelationSuggester.Suggest(found[c.Key], c.Key,
                neighbours[c.Key].Where(h => found.ContainsKey(h.ClaimKey)).Select(h => (found[h.ClaimKey], h.ClaimKey, (double)h.Cosine)), thresholds, now))
            .ToList();
        var suggested = await relations.ReplaceSuggestionsAsync([.. embedded.Select(c => c.Key)], suggestions, cancellationToken);
        if (suggested.Count > 0)
            await events.PublishAsync(new RelationsChanged([.. suggested.SelectMany(r => new[] { r.ClaimId, r.RelatedClaimId }).Distinct()], AffectsVerdicts: false));
    }

    private async Task YieldToImportsAsync(CancellationToken cancellationToken)
    {
        var deferredSince = clock.GetUtcNow();
        while (true)
        {
            var quietFor = clock.GetUtcNow() - writes.LastBulkWrite;
            if (quietFor >= options.Indexer.QuietPeriod || clock.GetUtcNow() - deferredSince >= options.Indexer.MaxDeferral) return;
            await Task.Delay(options.Indexer.QuietPeriod - quietFor, cancellationToken);
        }
    }

    /// <summary>Runs the step; false (after a pause) when it failed.</summary>
    private async Task<bool> RetryingAsync(Func<Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step();
            outage.Succeeded(lasted => logger.LogInformation("Semantic indexing resumed after failing for {Outage}", lasted));
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The store away, the model failing on a text: log, wait, go on. A leased batch returns to the queue when
            // its lease runs out, while the next lease takes other claims, so one bad text holds up nothing else.
            outage.Failed(e, first => logger.LogWarning(first, "Semantic indexing failed; retrying every {Delay}", RetryAfterFailure),
                (lasted, problem) => logger.LogWarning("Semantic indexing still failing after {Outage}: {Problem}", lasted, problem));
            await Task.Delay(RetryAfterFailure, cancellationToken);
            return false;
        }
    }
}
