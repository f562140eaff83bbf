using FactCheck.Core.Speakers;

namespace FactCheck.Core.Storage;

/// <summary>
/// Speakers and the name keys they are found by. Writes are audited as <see cref="IAuditStore"/> states; the store
/// checks integrity only (the domain validates).
/// </summary>
public interface ISpeakerStore
{
    /// <summary>Inserts <paramref name="speaker"/>, or, when <paramref name="idempotency"/> names a request seen
    /// before, returns what that request created (throwing <see cref="Errors.AlreadyExistsException"/> if the earlier
    /// request differed). Throws <see cref="Errors.AlreadyExistsException"/> when the Wikidata id is taken.</summary>
    Task<Speaker> CreateSpeakerAsync(Speaker speaker, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken);

    Task<Speaker?> GetSpeakerAsync(string id, CancellationToken cancellationToken);

    /// <summary>The speakers that exist among <paramref name="ids"/>, in no particular order.</summary>
    Task<IReadOnlyList<Speaker>> GetSpeakersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Speakers in creation order after <paramref name="afterSequence"/> (0 = from the start).</summary>
    Task<IReadOnlyList<Sequenced<Speaker>>> ListSpeakersAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the speaker if its stored version is still <paramref name="expectedVersion"/>; else throws
    /// <see cref="Errors.VersionConflictException"/>. Returns it with the new version and update time.</summary>
    Task<Speaker> UpdateSpeakerAsync(Speaker speaker, long expectedVersion, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Ids of speakers having any of the name keys (see <see cref="SpeakerNameKeys"/>), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> FindSpeakerIdsByNameKeysAsync(IReadOnlyCollection<string> keys, int limit, CancellationToken cancellationToken);
}
