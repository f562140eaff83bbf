using FactCheck.Core.Events;

namespace FactCheck.Caching;

/// <summary>The cache's side of every committed write: bumps the tags of what the write's events may have changed.
/// This is where the coherence protocol meets the domain, so hardening it (leases, an outbox for when Redis stalls)
/// stays inside this project.</summary>
internal sealed class CacheInvalidation(IResponseCache cache) : IDomainEventListener
{
    public Task OnCommittedAsync(IReadOnlyCollection<DomainEvent> events) => cache.InvalidateAsync(CacheTags.BumpedBy(events));
}
