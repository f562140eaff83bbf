using FactCheck.Core.Paging;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;
using Google.Protobuf;
using Proto = FactCheck.V1;

namespace FactCheck.Caching;

/// <summary>
/// The one door to cached answers. A gRPC service names the read it serves and passes how to load and map it;
/// whether it is cached, under which key, filed under which dependency tag and for how long is decided here
/// (<see cref="ResponseKeys"/>), and writes reach the same tags through <see cref="CacheInvalidation"/>.
/// Answers are kept as protobuf bytes in Redis, so a later path can hand cached bytes to the wire unparsed: it
/// would take the same keys from here.
/// </summary>
public sealed class CachedReads
{
    private readonly IResponseCache cache;

    internal CachedReads(IResponseCache cache) => this.cache = cache;

    public Task<Proto.Claim> ClaimAsync(string claimId, Func<CancellationToken, Task<Proto.Claim>> load, CancellationToken cancellationToken) =>
        OneAsync(ResponseKeys.Claim(claimId), Proto.Claim.Parser, load, cancellationToken);

    /// <summary>Claims in the order of <paramref name="claimIds"/>; <paramref name="loadMissing"/> gets the ids that
    /// were not cached and returns their claims in that order.</summary>
    public Task<IReadOnlyList<Proto.Claim>> ClaimsAsync(IReadOnlyList<string> claimIds,
        Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<Proto.Claim>>> loadMissing, CancellationToken cancellationToken)
    {
        // The domain refuses batches this large; looking them up first would let a fully cached one past that.
        if (claimIds.Count > Limits.BatchGet) return loadMissing(claimIds, cancellationToken);
        return cache.GetOrLoadManyAsync(claimIds.Select(ResponseKeys.Claim).ToList(), Proto.Claim.Parser,
            (missing, ct) => loadMissing(missing.Select(at => claimIds[at]).ToList(), ct), cancellationToken);
    }

    /// <summary>A page of claims. Only the first page of one speaker's claims, with no other filter, is cached: it is
    /// what lookup tools repeat; other pages and filters go to the store.</summary>
    public Task<Proto.ListClaimsResponse> ClaimPageAsync(ClaimFilter filter, int pageSize, string? pageToken,
        Func<CancellationToken, Task<Proto.ListClaimsResponse>> load, CancellationToken cancellationToken) =>
        filter is { SpeakerId: { } speakerId } && filter == new ClaimFilter { SpeakerId = speakerId } && string.IsNullOrEmpty(pageToken)
            ? OneAsync(ResponseKeys.SpeakerClaimsFirstPage(speakerId, PageSize.Resolve(pageSize)), Proto.ListClaimsResponse.Parser, load, cancellationToken)
            : load(cancellationToken);

    public Task<Proto.Speaker> SpeakerAsync(string speakerId, Func<CancellationToken, Task<Proto.Speaker>> load, CancellationToken cancellationToken) =>
        OneAsync(ResponseKeys.Speaker(speakerId), Proto.Speaker.Parser, load, cancellationToken);

    public Task<Proto.ResolveSpeakerResponse> ResolutionAsync(Proto.ResolveSpeakerRequest request,
        Func<CancellationToken, Task<Proto.ResolveSpeakerResponse>> load, CancellationToken cancellationToken) =>
        OneAsync(ResponseKeys.Resolution(request), Proto.ResolveSpeakerResponse.Parser, load, cancellationToken);

    public Task<Proto.VerifyAttributionResponse> VerdictAsync(Proto.VerifyAttributionRequest request,
        Func<CancellationToken, Task<Proto.VerifyAttributionResponse>> load, CancellationToken cancellationToken) =>
        OneAsync(ResponseKeys.Verdict(request), Proto.VerifyAttributionResponse.Parser, load, cancellationToken);

    private Task<T> OneAsync<T>(CacheKey key, MessageParser<T> parser, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : IMessage<T> =>
        cache.GetOrLoadAsync(key, parser, load, cancellationToken);
}
