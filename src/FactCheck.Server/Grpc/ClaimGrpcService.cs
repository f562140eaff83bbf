using FactCheck.Caching;
using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Relations;
using FactCheck.Core.Reviews;
using FactCheck.Core.Storage;
using FactCheck.Core.Verification;
using FactCheck.Server.Access;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>factcheck.v1.ClaimService: maps messages and calls <see cref="ClaimRegistry"/>.</summary>
public sealed class ClaimGrpcService(ClaimRegistry claims, ClaimReviews reviews, ClaimRelations relations, AttributionVerifier verifier,
    RecordHistory history, AuditCheckpoints checkpoints, CachedReads cache) : Proto.ClaimService.ClaimServiceBase
{
    /// <summary>Fields every change moves, left out of a revision's changes.</summary>
    private static readonly IReadOnlySet<string> Bookkeeping = new HashSet<string>(StringComparer.Ordinal) { "update_time", "etag" };

    public override async Task<Proto.Claim> CreateClaim(Proto.CreateClaimRequest request, ServerCallContext context)
    {
        var idempotency = RequestIds.KeyFor(request, request.RequestId, r => r.RequestId = "");
        var created = await claims.CreateAsync(ClaimMapping.FromProto(request.Claim, "claim"), idempotency,
            Callers.ActorOf(context, request.Reason, request.RequestId), context.CancellationToken);
        return ClaimMapping.ToProto(created);
    }

    /// <summary>Each message is one batch, stored on arrival, so memory holds one batch however large the import.
    /// The factcheck-imported-count trailer is set after every batch, so a failed call still says how many claims
    /// were stored before the failure.</summary>
    public override async Task<Proto.ImportClaimsResponse> ImportClaims(IAsyncStreamReader<Proto.ImportClaimsRequest> requestStream,
        ServerCallContext context)
    {
        var response = new Proto.ImportClaimsResponse();
        await foreach (var batch in requestStream.ReadAllAsync(context.CancellationToken))
        {
            response.BatchCount++;
            var idempotency = RequestIds.KeyFor(batch, batch.RequestId, r => r.RequestId = "");
            var drafts = batch.Claims.Select((claim, i) => ClaimMapping.FromProto(claim, $"claims[{i}]")).ToList();
            if (await claims.ImportAsync(drafts, idempotency, Callers.ActorOf(context, batch.Reason, batch.RequestId), context.CancellationToken))
                response.ImportedCount += drafts.Count;
            else
                response.SkippedBatchCount++;
            SetImportTrailers(context, response);
        }
        return response;
    }

    private static void SetImportTrailers(ServerCallContext context, Proto.ImportClaimsResponse progress)
    {
        foreach (var (key, value) in new[] { ("factcheck-imported-count", progress.ImportedCount), ("factcheck-batch-count", progress.BatchCount) })
        {
            if (context.ResponseTrailers.Get(key) is { } previous) context.ResponseTrailers.Remove(previous);
            context.ResponseTrailers.Add(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <remarks>A read at a time goes to the log, never through the cache, which holds current answers only (and shows
    /// no relations: they have no history).</remarks>
    public override async Task<Proto.Claim> GetClaim(Proto.GetClaimRequest request, ServerCallContext context)
    {
        var id = ClaimId(request.Name, "name");
        if (ProtoDates.ToDateTimeOffset(request.ReadTime, "read_time") is { } readTime)
            return ClaimMapping.ToProto(await history.ClaimAsOfAsync(id, readTime, context.CancellationToken));
        if (request.View != Proto.ClaimView.Full)
            return await cache.ClaimAsync(id, async ct => ClaimMapping.ToProto(await claims.GetAsync(id, ct)), context.CancellationToken);
        // The full view is read from the store: it is for people looking at one claim, not the hot path.
        var claim = ClaimMapping.ToProto(await claims.GetAsync(id, context.CancellationToken));
        var (related, _) = await relations.ListAsync(id, null, FullViewRelations, null, context.CancellationToken);
        claim.Relations.AddRange(related.Select(RelationMapping.ToProto));
        return claim;
    }

    /// <summary>Relations in GetClaim's FULL view; ListClaimRelations pages through more.</summary>
    private const int FullViewRelations = 100;

    public override async Task<Proto.BatchGetClaimsResponse> BatchGetClaims(Proto.BatchGetClaimsRequest request, ServerCallContext context)
    {
        var ids = request.Names.Select((name, i) => ClaimId(name, $"names[{i}]")).ToList();
        var found = await cache.ClaimsAsync(ids,
            async (missing, ct) => (await claims.BatchGetAsync(missing, ct)).Select(ClaimMapping.ToProto).ToList(), context.CancellationToken);
        var response = new Proto.BatchGetClaimsResponse();
        response.Claims.AddRange(found);
        return response;
    }

    public override async Task<Proto.ListClaimsResponse> ListClaims(Proto.ListClaimsRequest request, ServerCallContext context)
    {
        var filter = new ClaimFilter
        {
            SpeakerId = ClaimMapping.SpeakerIdOrNull(request.Speaker, "speaker"),
            Publication = string.IsNullOrWhiteSpace(request.Publication) ? null : request.Publication,
            SaidOnOrAfter = ProtoDates.ToDateOnly(request.SaidOnOrAfter, "said_on_or_after"),
            SaidOnOrBefore = ProtoDates.ToDateOnly(request.SaidOnOrBefore, "said_on_or_before"),
            Status = request.VerificationStatus == Proto.VerificationStatus.Unspecified ? null : (VerificationStatus)request.VerificationStatus,
            Kind = request.AttributionKind == Proto.AttributionKind.Unspecified ? null : (AttributionKind)request.AttributionKind,
        };
        async Task<Proto.ListClaimsResponse> Load(CancellationToken ct)
        {
            var (page, next) = await claims.ListAsync(filter, request.PageSize, request.PageToken, ct);
            var response = new Proto.ListClaimsResponse { NextPageToken = next };
            response.Claims.AddRange(page.Select(ClaimMapping.ToProto));
            return response;
        }
        return await cache.ClaimPageAsync(filter, request.PageSize, request.PageToken, Load, context.CancellationToken);
    }

    public override async Task<Proto.Claim> UpdateClaim(Proto.UpdateClaimRequest request, ServerCallContext context)
    {
        var patch = request.Claim ?? throw new InvalidArgumentException("claim", "required");
        var id = ClaimId(patch.Name, "claim.name");
        var paths = UpdateMasks.Resolve(request.UpdateMask, ClaimMapping.UpdatablePaths);
        if (paths.Contains("attribution_confidence") && !patch.HasAttributionConfidence)
            throw new InvalidArgumentException("claim.attribution_confidence", "named in update_mask but not set");
        var updated = await claims.UpdateAsync(id, patch.Etag, current => ClaimMapping.ApplyMask(current, patch, paths),
            Callers.ActorOf(context, request.Reason), context.CancellationToken);
        return ClaimMapping.ToProto(updated);
    }

    public override async Task<Empty> DeleteClaim(Proto.DeleteClaimRequest request, ServerCallContext context)
    {
        await claims.DeleteAsync(ClaimId(request.Name, "name"), request.Etag, Callers.ActorOf(context, request.Reason), context.CancellationToken);
        return new Empty();
    }

    public override async Task<Proto.Claim> AddAppearance(Proto.AddAppearanceRequest request, ServerCallContext context)
    {
        var id = ClaimId(request.Claim, "claim");
        var appearance = ClaimMapping.FromProto(request.Appearance, "appearance");
        return ClaimMapping.ToProto(await claims.AddAppearanceAsync(id, appearance, Callers.ActorOf(context, request.Reason), context.CancellationToken));
    }

    public override async Task<Proto.SearchClaimsResponse> SearchClaims(Proto.SearchClaimsRequest request, ServerCallContext context)
    {
        var speakerId = ClaimMapping.SpeakerIdOrNull(request.Speaker, "speaker");
        var (results, next) = await claims.SearchAsync(request.Query, speakerId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new Proto.SearchClaimsResponse { NextPageToken = next };
        response.Results.AddRange(results.Select(r => new Proto.SearchClaimsResult { Claim = ClaimMapping.ToProto(r.Claim), Relevance = r.Relevance }));
        return response;
    }

    public override Task<Proto.VerifyAttributionResponse> VerifyAttribution(Proto.VerifyAttributionRequest request, ServerCallContext context)
    {
        var saidOn = ProtoDates.ToDateOnly(request.SaidOn, "said_on");
        return cache.VerdictAsync(request,
            async ct => VerificationMapping.ToProto(await verifier.VerifyAsync(request.Text, request.Speaker, saidOn, request.MaxMatches, ct)),
            context.CancellationToken);
    }

    public override async Task<Proto.Review> ReviewClaim(Proto.ReviewClaimRequest request, ServerCallContext context)
    {
        var id = ClaimId(request.Claim, "claim");
        var review = request.Review ?? throw new InvalidArgumentException("review", "required");
        var created = await reviews.ReviewAsync(id, (ReviewVerdict)review.Verdict, review.Explanation, review.EvidenceUrls.ToList(),
            Callers.ActorOf(context, request.Reason), context.CancellationToken);
        return ReviewMapping.ToProto(created);
    }

    public override async Task<Proto.ListReviewsResponse> ListReviews(Proto.ListReviewsRequest request, ServerCallContext context)
    {
        var (page, next) = await reviews.ListAsync(ClaimId(request.Claim, "claim"), request.PageSize, request.PageToken, context.CancellationToken);
        var response = new Proto.ListReviewsResponse { NextPageToken = next };
        response.Reviews.AddRange(page.Select(ReviewMapping.ToProto));
        return response;
    }

    public override async Task<Proto.ListClaimRevisionsResponse> ListClaimRevisions(Proto.ListClaimRevisionsRequest request, ServerCallContext context)
    {
        var page = await history.ClaimRevisionsAsync(ClaimId(request.Name, "name"), request.PageSize, request.PageToken, context.CancellationToken);
        var treeSize = page.Checkpoint.Checkpoint.Size;
        var response = new Proto.ListClaimRevisionsResponse
        {
            NextPageToken = page.NextPageToken,
            Checkpoint = AuditMapping.ToProto(page.Checkpoint, checkpoints.Verifier.VerifierKey),
        };
        response.Revisions.AddRange(page.Revisions.Select(revision =>
        {
            var before = revision.Before is null ? null : ClaimMapping.ToProto(revision.Before);
            var after = revision.After is null ? null : ClaimMapping.ToProto(revision.After);
            var proto = new Proto.ClaimRevision
            {
                RevisionId = revision.Event.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                RevisionCreateTime = Timestamp.FromDateTimeOffset(revision.Event.Time),
                Claim = after,
                AuditEvent = AuditMapping.ToProto(revision.Event),
                InclusionProof = AuditMapping.ToProto(revision.Event.Sequence, treeSize, revision.InclusionProof),
            };
            proto.Changes.AddRange(FieldChanges.Between(before, after, Bookkeeping));
            return proto;
        }));
        return response;
    }

    private static string ClaimId(string name, string field) => ResourceNames.ParseId(ResourceNames.ClaimsCollection, name, field);
}
