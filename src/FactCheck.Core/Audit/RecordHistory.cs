using FactCheck.Core.Claims;
using FactCheck.Core.Speakers;
using FactCheck.Transparency.Merkle;
using FactCheck.Transparency.Verification;

namespace FactCheck.Core.Audit;

/// <summary>
/// Speakers and claims as they stood at a given time, and a claim's revisions, rebuilt from the audit log: every change
/// to them is an event holding the record before and after (<see cref="AuditSnapshots"/>), so the record at a time is
/// the "after" of its last event at or before it. Revisions come with their inclusion proofs, so a client can check
/// each against the log's signed checkpoint.
/// </summary>
public sealed class RecordHistory(IAuditStore store, AuditCheckpoints checkpoints, PageTokens pageTokens, TimeProvider clock)
{
    public Task<Claim> ClaimAsOfAsync(string id, DateTimeOffset readTime, CancellationToken cancellationToken) =>
        AsOfAsync<Claim>(ResourceNames.Claim(id), readTime, cancellationToken);

    public Task<Speaker> SpeakerAsOfAsync(string id, DateTimeOffset readTime, CancellationToken cancellationToken) =>
        AsOfAsync<Speaker>(ResourceNames.Speaker(id), readTime, cancellationToken);

    /// <summary>
    /// A page of the claim's revisions, newest first (AIP-162), each with the event that made it and its inclusion proof
    /// against the page's checkpoint; the page stops at that checkpoint, so every revision listed is in it. NOT_FOUND
    /// when the log has no event for the claim; a deleted claim keeps its history.
    /// </summary>
    public async Task<RevisionPage<Claim>> ClaimRevisionsAsync(string id, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var resourceName = ResourceNames.Claim(id);
        var limit = PageSize.Resolve(pageSize);
        var query = "revisions\n" + resourceName;
        var before = await pageTokens.DecodeSequenceAsync(pageToken, query, cancellationToken);
        var checkpoint = await checkpoints.GetLatestAsync(cancellationToken);
        var newestInCheckpoint = checkpoint.Checkpoint.Size + 1;
        var events = await store.ListResourceHistoryAsync(resourceName, null, before == 0 ? newestInCheckpoint : Math.Min(before, newestInCheckpoint),
            limit + 1, cancellationToken);
        if (events.Count == 0 && before == 0) throw new NotFoundException(resourceName);
        var next = events.Count > limit ? await pageTokens.EncodeSequenceAsync(query, events[limit - 1].Sequence, cancellationToken) : "";
        var page = events.Take(limit).ToList();
        var proofs = await checkpoints.InclusionProofsAsync(page, checkpoint, cancellationToken);
        var revisions = page.Select((e, i) => new Revision<Claim>(e, AuditSnapshots.Read<Claim>(e.Before), AuditSnapshots.Read<Claim>(e.After), proofs[i])).ToList();
        return new RevisionPage<Claim>(revisions, checkpoint, next);
    }

    private async Task<T> AsOfAsync<T>(string resourceName, DateTimeOffset readTime, CancellationToken cancellationToken) where T : class
    {
        if (readTime > clock.GetUtcNow()) throw new InvalidArgumentException("read_time", "is in the future: the log says how records stood, not how they will");
        var last = (await store.ListResourceHistoryAsync(resourceName, readTime, 0, 1, cancellationToken)).SingleOrDefault();
        if (last is null) throw new NotFoundException(resourceName, $"{resourceName} did not exist at {readTime:O}");
        return AuditSnapshots.Read<T>(last.After) ?? throw new NotFoundException(resourceName, $"{resourceName} was deleted at {last.Time:O}, before {readTime:O}");
    }
}

/// <summary>One version of a record: the event that made it, the record before and after (null before a create and
/// after a delete), and the event's inclusion proof against the checkpoint of the page it came in.</summary>
public sealed record Revision<T>(AuditEvent Event, T? Before, T? After, IReadOnlyList<Hash> InclusionProof) where T : class;

public sealed record RevisionPage<T>(IReadOnlyList<Revision<T>> Revisions, SignedCheckpoint Checkpoint, string NextPageToken) where T : class;
