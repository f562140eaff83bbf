using FactCheck.Core;
using FactCheck.Core.Relations;
using FactCheck.Server.Access;

namespace FactCheck.Server.Grpc;

/// <summary>factcheck.v1.ClaimRelationService: maps messages and calls <see cref="ClaimRelations"/>.</summary>
public sealed class ClaimRelationGrpcService(ClaimRelations relations) : Proto.ClaimRelationService.ClaimRelationServiceBase
{
    public override async Task<Proto.ListClaimRelationsResponse> ListClaimRelations(Proto.ListClaimRelationsRequest request, ServerCallContext context)
    {
        var claimId = ResourceNames.ParseId(ResourceNames.ClaimsCollection, request.Parent, "parent");
        var state = request.State == Proto.ClaimRelation.Types.State.Unspecified ? (RelationState?)null : (RelationState)request.State;
        var (page, next) = await relations.ListAsync(claimId, state, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new Proto.ListClaimRelationsResponse { NextPageToken = next };
        response.ClaimRelations.AddRange(page.Select(RelationMapping.ToProto));
        return response;
    }

    public override Task<Proto.ClaimRelation> ConfirmClaimRelation(Proto.ConfirmClaimRelationRequest request, ServerCallContext context) =>
        DecideAsync(request.Name, request.Etag, request.Reason, RelationState.Confirmed, context);

    public override Task<Proto.ClaimRelation> RejectClaimRelation(Proto.RejectClaimRelationRequest request, ServerCallContext context) =>
        DecideAsync(request.Name, request.Etag, request.Reason, RelationState.Rejected, context);

    private async Task<Proto.ClaimRelation> DecideAsync(string name, string etag, string reason, RelationState decision, ServerCallContext context)
    {
        var (claimId, relationId) = ResourceNames.ParseRelation(name, "name");
        var decided = await relations.DecideAsync(claimId, relationId, decision, etag, Callers.ActorOf(context, reason), context.CancellationToken);
        return RelationMapping.ToProto(decided);
    }
}
