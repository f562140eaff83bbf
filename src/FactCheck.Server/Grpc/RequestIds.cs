using FactCheck.Core.Storage;
using FactCheck.Core.Validation;
using Google.Protobuf;

namespace FactCheck.Server.Grpc;

/// <summary>AIP-155 request ids: the request's bytes without its id are what a retry must repeat.</summary>
internal static class RequestIds
{
    public static IdempotencyKey? KeyFor<TRequest>(TRequest request, string requestId, Action<TRequest> clearRequestId)
        where TRequest : IMessage<TRequest>, IDeepCloneable<TRequest>
    {
        if (string.IsNullOrEmpty(requestId)) return null;
        var body = request.Clone();
        clearRequestId(body);
        return IdempotencyKeys.For(requestId, body.ToByteArray());
    }
}
