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

/// <summary>An API key was revoked.</summary>
public sealed record ApiKeyRevoked(string KeyId) : DomainEvent;
