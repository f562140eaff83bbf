using FactCheck.Core;
using FactCheck.Core.Relations;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

internal static class RelationMapping
{
    public static Proto.ClaimRelation ToProto(ClaimRelation relation) => new()
    {
        Name = relation.ResourceName,
        Claim = ResourceNames.Claim(relation.ClaimId),
        RelatedClaim = ResourceNames.Claim(relation.RelatedClaimId),
        Kind = (Proto.ClaimRelation.Types.Kind)relation.Kind,
        State = (Proto.ClaimRelation.Types.State)relation.State,
        Score = relation.Score,
        CreateTime = Timestamp.FromDateTimeOffset(relation.CreateTime),
        Reviewer = relation.Reviewer ?? "",
        ReviewTime = ProtoDates.ToProto(relation.ReviewTime),
        Etag = Etags.For(relation.Version),
    };
}
