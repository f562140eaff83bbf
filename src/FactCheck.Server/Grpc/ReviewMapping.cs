using FactCheck.Core.Reviews;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

internal static class ReviewMapping
{
    public static Proto.Review ToProto(Review review)
    {
        var proto = new Proto.Review
        {
            Name = review.ResourceName,
            Reviewer = review.Reviewer,
            Verdict = (Proto.Review.Types.Verdict)review.Verdict,
            Explanation = review.Explanation,
            CreateTime = Timestamp.FromDateTimeOffset(review.CreateTime),
            Supersedes = review.SupersedesId is null ? "" : (review with { Id = review.SupersedesId }).ResourceName,
        };
        proto.EvidenceUrls.AddRange(review.EvidenceUrls);
        return proto;
    }
}
