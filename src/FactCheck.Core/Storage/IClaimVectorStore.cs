using FactCheck.Core.Semantics;

namespace FactCheck.Core.Storage;

/// <summary>
/// Claim vectors, kept in the store so that a restart does not re-embed, and the work of making them, off the write
/// path:
/// <list type="bullet">
/// <item>a <b>queue</b> of claims whose text has no vector yet, filled by <see cref="IClaimStore"/> in the transaction that
/// creates or re-words a claim, drained by the indexers of any number of server instances (each leases a batch, so
/// none embeds what another is embedding, and a lease that runs out returns its claims to the queue: nothing is
/// skipped, whoever stops);</item>
/// <item>the <b>vectors</b>, one per live claim, of one model (<see cref="UseModelAsync"/>), half-precision, with
/// the model's name and version;</item>
/// <item>a <b>feed</b> of vector changes numbered in commit order without gaps (new vectors, and removals when a claim
/// is deleted or re-worded), from which every instance keeps its in-memory index current
/// (<see cref="ReadChangesAsync"/>).</item>
/// </list>
/// </summary>
public interface IClaimVectorStore
{
    /// <summary>
    /// Makes <paramref name="model"/> the one vectors are made with. When the store's vectors were made by another
    /// model (or version), every live claim is queued to be embedded again, and vectors of the old model stay only
    /// until each is replaced (they are never read as the new model's). Returns whether it queued them.
    /// </summary>
    Task<bool> UseModelAsync(EmbeddingModel model, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="limit"/> queued claims, oldest first, that no other worker holds (or whose
    /// lease ran out), until <paramref name="leaseUntil"/>: the texts to embed.</summary>
    Task<IReadOnlyList<TextToEmbed>> LeaseQueuedAsync(int limit, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the vectors of <paramref name="model"/> (replacing a claim's previous one) and takes each claim off the
    /// queue, unless it was deleted or changed its text since it was leased (the vector is then not stored, and a
    /// changed claim stays queued). Each stored vector is the next entry of the feed. Returns the keys stored.
    /// </summary>
    Task<IReadOnlyList<long>> SaveVectorsAsync(EmbeddingModel model, IReadOnlyList<EmbeddedText> vectors, CancellationToken cancellationToken);

    /// <summary>How many claims wait to be embedded (leased ones included).</summary>
    Task<long> CountQueuedAsync(CancellationToken cancellationToken);

    /// <summary>The feed position the store has reached: the number of the latest change.</summary>
    Task<long> FeedPositionAsync(CancellationToken cancellationToken);

    /// <summary>Every stored vector of <paramref name="model"/> (of live claims), streamed from one snapshot, with
    /// each one's feed position; the index of an instance starting up is built from it.</summary>
    IAsyncEnumerable<VectorChange> ReadVectorsAsync(EmbeddingModel model, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> changes after <paramref name="afterPosition"/>, in feed order: a vector of
    /// <paramref name="model"/> to add or replace, or a removal (<see cref="VectorChange.Vector"/> null: the claim was
    /// deleted, re-worded, or embedded by another model).</summary>
    Task<IReadOnlyList<VectorChange>> ReadChangesAsync(EmbeddingModel model, long afterPosition, int limit, CancellationToken cancellationToken);
}

/// <param name="ClaimKey">The claim's store key (<see cref="Sequenced{T}.Sequence"/>).</param>
/// <param name="Version">The claim's version when leased: its vector is stored only if it still is.</param>
public sealed record TextToEmbed(long ClaimKey, string ClaimId, long Version, string Text);

public sealed record EmbeddedText(long ClaimKey, long Version, float[] Vector);

/// <param name="Position">The change's number in the feed.</param>
/// <param name="Vector">The claim's vector, or null when the claim left the index.</param>
public sealed record VectorChange(long Position, long ClaimKey, float[]? Vector);
