using System.Security.Cryptography;
using FactCheck.Core.Errors;
using FactCheck.Core.Storage;
using FactCheck.Core.Validation;
using Google.Protobuf;

namespace FactCheck.Server.Grpc;

/// <summary>AIP-155 idempotency: a request id plus a fingerprint of everything else the request said, so a retry
/// is recognized and a reused id with a different body is refused.</summary>
internal static class RequestIds
{
    public static IdempotencyKey? KeyFor<TRequest>(TRequest request, string requestId, Action<TRequest> clearRequestId)
        where TRequest : IMessage<TRequest>, IDeepCloneable<TRequest>
    {
        if (string.IsNullOrEmpty(requestId)) return null;
        if (requestId.Length > Limits.RequestIdLength || requestId.Any(char.IsControl))
            throw new InvalidArgumentException("request_id", $"must be at most {Limits.RequestIdLength} printable characters (a UUID is recommended)");
        var body = request.Clone();
        clearRequestId(body);
        return new IdempotencyKey(requestId, Convert.ToHexString(SHA256.HashData(body.ToByteArray())));
    }
}
