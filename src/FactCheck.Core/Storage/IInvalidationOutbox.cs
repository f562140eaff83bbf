namespace FactCheck.Core.Storage;

/// <summary>
/// Cache invalidations that could not reach the cache when their write committed, kept in the database until some
/// instance delivers them. The database is the one thing every instance still shares when the cache is stalled or cut
/// off from some of them; src/FactCheck.Caching/InvalidationRelay.cs says how this keeps reads fresh.
/// </summary>
public interface IInvalidationOutbox
{
    /// <summary>Records the dependency tags a committed write changed; returns the record's id.</summary>
    Task<long> AddAsync(IReadOnlyCollection<string> tags, CancellationToken cancellationToken);

    /// <summary>The oldest records, at most <paramref name="limit"/>, read in one statement: a record committed before
    /// the call started is among them unless <paramref name="limit"/> older ones are.</summary>
    Task<IReadOnlyList<PendingInvalidation>> PendingAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Whether the record is still there, not yet delivered.</summary>
    Task<bool> IsPendingAsync(long id, CancellationToken cancellationToken);

    /// <summary>Drops delivered records (by id: ids are not committed in order, so a range could drop one not read).</summary>
    Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);
}

public sealed record PendingInvalidation(long Id, IReadOnlyList<string> Tags);
