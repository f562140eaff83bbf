using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;
using Microsoft.Extensions.Logging;

namespace FactCheck.Search;

/// <summary>
/// Claim search by words through <see cref="ClaimSearchIndex"/>, quote look-ups through the store. The index follows
/// the audit log, which every claim write appends to in its own transaction: before each search it reads the events
/// after its position (one indexed read, nothing when it is current) and indexes the claims they name, so a write
/// acknowledged by any server instance is searchable at once (no stale read). Until the index has first caught up
/// (a rebuild at start), searches go to the store's own full-text index, which has the same contract. Results are
/// read from the store, so a claim deleted after its last indexing is never returned.
/// </summary>
public sealed class IndexedClaimSearch(IClaimSearch store, IClaimStore claims, IAuditStore audit, ClaimSearchIndex index, ILogger<IndexedClaimSearch> logger)
    : IClaimSearch
{
    /// <summary>Events read per step: a bulk import's batch is indexed in a few steps.</summary>
    private const int EventsPerRead = 1000;

    private static readonly AuditFilter AllEvents = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the index has caught up with the log after start; searches use it from then on.</summary>
    public Task Ready => ready.Task;

    /// <summary>The last audit event the index reflects.</summary>
    public IndexPosition Position => index.Position;

    public async Task<IReadOnlyList<ScoredClaim>> SearchClaimsAsync(IReadOnlyList<string> terms, string? speakerId, int offset, int limit,
        CancellationToken cancellationToken)
    {
        if (!ready.Task.IsCompleted) return await store.SearchClaimsAsync(terms, speakerId, offset, limit, cancellationToken);
        await CatchUpAsync(cancellationToken);
        var words = terms.SelectMany(ClaimTextAnalyzer.Words).Distinct(StringComparer.Ordinal).ToList();
        var hits = index.Search(words, speakerId, offset, limit, Limits.SearchWindow);
        if (hits.Count == 0) return [];
        var found = (await claims.GetClaimsAsync(hits.Select(hit => hit.Id).ToList(), cancellationToken))
            .ToDictionary(claim => claim.Id, StringComparer.Ordinal);
        return hits.Where(hit => found.ContainsKey(hit.Id)).Select(hit => new ScoredClaim(found[hit.Id], hit.Score)).ToList();
    }

    public Task<IReadOnlyList<(string ClaimId, int Shared)>> FindClaimsByShinglesAsync(IReadOnlyCollection<long> shingles, int limit,
        CancellationToken cancellationToken) => store.FindClaimsByShinglesAsync(shingles, limit, cancellationToken);

    /// <summary>
    /// Checks that the index's position is an event of this store's log (an index copied from, or left by, another
    /// database is not), rebuilding from the start of the log otherwise; then catches up and opens searches to the index.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var position = index.Position;
        if (position.Sequence > 0)
        {
            var at = await audit.ListAuditEventsAsync(AllEvents, position.Sequence - 1, 1, cancellationToken);
            if (at.Count == 0 || at[0].Id != position.EventId)
            {
                logger.LogWarning("Search index position {Sequence} is not in this store's audit log; rebuilding the index", position.Sequence);
                await Serialized(index.Clear, cancellationToken);
            }
        }
        var indexed = await CatchUpAsync(cancellationToken);
        logger.LogInformation("Search index current at audit event {Sequence} ({Events} events indexed at start)", index.Position.Sequence, indexed);
        ready.TrySetResult();
    }

    /// <summary>Writes the index and its position to disk when it moved since the last commit.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => Serialized(index.Commit, cancellationToken);

    /// <summary>Indexes the claims that the events after the index's position name, up to the end of the log; returns
    /// how many events were read. One writer at a time; a search finding the index current takes no lock.</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        var events = await audit.ListAuditEventsAsync(AllEvents, index.Position.Sequence, EventsPerRead, cancellationToken);
        if (events.Count == 0) return 0;
        await writing.WaitAsync(cancellationToken);
        long read = 0;
        try
        {
            var after = index.Position.Sequence; // another search may have caught up while this one waited
            while (true)
            {
                if (events.Count == 0 || events[0].Sequence != after + 1)
                    events = await audit.ListAuditEventsAsync(AllEvents, after, EventsPerRead, cancellationToken);
                if (events.Count == 0) break;
                var changed = events.Select(ChangedClaimId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                var live = changed.Count == 0 ? [] : await claims.GetClaimsAsync(changed, cancellationToken);
                index.Apply(changed, live, new IndexPosition(events[^1].Sequence, events[^1].Id));
                after = events[^1].Sequence;
                read += events.Count;
                events = [];
            }
            if (read > 0) index.Refresh();
            return read;
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>The claim an event changed: its resource is <c>claims/{id}</c> (not a sub-resource).</summary>
    private static string? ChangedClaimId(AuditEvent e)
    {
        var prefix = ResourceNames.ClaimsCollection + "/";
        return e.ResourceName.StartsWith(prefix, StringComparison.Ordinal) && e.ResourceName.IndexOf('/', prefix.Length) < 0
            ? e.ResourceName[prefix.Length..]
            : null;
    }

    private async Task Serialized(Action action, CancellationToken cancellationToken)
    {
        await writing.WaitAsync(cancellationToken);
        try
        {
            action();
        }
        finally
        {
            writing.Release();
        }
    }
}
