using FactCheck.Core.Events;

namespace FactCheck.Semantics.Indexing;

/// <summary>What the indexer needs to hear of this instance's committed writes: when claims were last written in bulk
/// (it waits for imports to pause), and that new claims wait (it wakes up). A listener of the domain's events.</summary>
public sealed class WriteActivity(TimeProvider clock) : IDomainEventListener
{
    private readonly SemaphoreSlim claimsWritten = new(0, 1);
    private long lastBulkWriteTicks;

    /// <summary>When a committed write last created several claims at once (an import batch).</summary>
    public DateTimeOffset LastBulkWrite => new(Interlocked.Read(ref lastBulkWriteTicks), TimeSpan.Zero);

    public Task OnCommittedAsync(IReadOnlyCollection<DomainEvent> events)
    {
        if (events.Count(e => e is ClaimChanged { Before: null }) > 1) Interlocked.Exchange(ref lastBulkWriteTicks, clock.GetUtcNow().UtcTicks);
        if (events.Any(e => e is ClaimChanged))
        {
            try { claimsWritten.Release(); }
            catch (SemaphoreFullException) { } // already signalled
        }
        return Task.CompletedTask;
    }

    /// <summary>Waits until claims are written, or the timeout passes.</summary>
    public Task WaitForClaimsAsync(TimeSpan timeout, CancellationToken cancellationToken) => claimsWritten.WaitAsync(timeout, cancellationToken);
}
