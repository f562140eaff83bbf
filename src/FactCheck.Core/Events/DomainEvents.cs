using FactCheck.Core.Claims;
using FactCheck.Core.Reviews;

namespace FactCheck.Core.Events;

/// <summary>
/// Told after every committed write what it changed. The write is acknowledged to the client only after this
/// returns, which is what lets the cache promise that a write is never followed by a stale read. Implementations
/// never throw: a cache that cannot be reached must not fail a write that is already committed.
/// </summary>
public interface IDomainEvents
{
    Task PublishAsync(IReadOnlyCollection<DomainEvent> events);
}

/// <summary>A part of the system that acts on committed writes: the cache (invalidation), the semantic indexer (new
/// work). Like <see cref="IDomainEvents"/>, it never throws.</summary>
public interface IDomainEventListener
{
    Task OnCommittedAsync(IReadOnlyCollection<DomainEvent> events);
}

/// <summary>The one <see cref="IDomainEvents"/> of a process: tells every listener, in the order they were registered,
/// and returns when all of them have acted.</summary>
public sealed class DomainEventBus(IEnumerable<IDomainEventListener> listeners) : IDomainEvents
{
    private readonly IDomainEventListener[] listeners = [.. listeners];

    public async Task PublishAsync(IReadOnlyCollection<DomainEvent> events)
    {
        foreach (var listener in listeners) await listener.OnCommittedAsync(events);
    }
}

public static class DomainEventsExtensions
{
    public static Task PublishAsync(this IDomainEvents events, DomainEvent change) => events.PublishAsync([change]);
}

/// <summary>Something a committed write changed; listeners decide what depends on it.</summary>
public abstract record DomainEvent;

/// <summary>A claim was created (<paramref name="Before"/> is null), updated, or deleted (both are the deleted
/// claim). Both are given because an update may move the claim from one speaker to another.</summary>
public sealed record ClaimChanged(Claim? Before, Claim After) : DomainEvent;

/// <summary>A speaker was created or updated: its names, roles or anything else.</summary>
public sealed record SpeakerChanged(string SpeakerId) : DomainEvent;

/// <summary>A review was added, which set the claim's verification status.</summary>
public sealed record ReviewAdded(Review Review, Claim ClaimBefore, Claim ClaimAfter) : DomainEvent;

/// <summary>Claim vectors entered or left this instance's semantic index (a claim was embedded, re-worded or deleted):
/// verification may now find by meaning what it did not before, or the reverse.</summary>
public sealed record SemanticIndexChanged(int Changes) : DomainEvent;

/// <summary>Relations of these claims were suggested, confirmed or rejected. Only confirmed relations count in
/// verification, so only decisions <paramref name="AffectsVerdicts"/>.</summary>
public sealed record RelationsChanged(IReadOnlyCollection<string> ClaimIds, bool AffectsVerdicts) : DomainEvent;

/// <summary>An API key was revoked.</summary>
public sealed record ApiKeyRevoked(string KeyId) : DomainEvent;
