using System.Security.Cryptography;

namespace FactCheck.Core.Validation;

/// <summary>AIP-155 idempotency: a request id plus a fingerprint of everything else the request said, so a retry
/// is recognized and a reused id with a different body is refused.</summary>
public static class IdempotencyKeys
{
    /// <summary>Null when the client sent no request id. <paramref name="restOfRequest"/> is the request's
    /// serialized form without its request id.</summary>
    public static IdempotencyKey? For(string requestId, ReadOnlySpan<byte> restOfRequest)
    {
        if (string.IsNullOrEmpty(requestId)) return null;
        if (requestId.Length > Limits.RequestIdLength || requestId.Any(char.IsControl))
            throw new InvalidArgumentException("request_id", $"must be at most {Limits.RequestIdLength} printable characters (a UUID is recommended)");
        return new IdempotencyKey(requestId, Convert.ToHexString(SHA256.HashData(restOfRequest)));
    }
}
