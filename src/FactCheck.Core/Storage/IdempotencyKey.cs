namespace FactCheck.Core.Storage;

/// <summary>
/// A client's request id plus a fingerprint of the request it came with (AIP-155). A create that carries one records
/// it in the create's own transaction; a later create with the same request id then creates nothing and appends no
/// audit event, and returns what the first one created if the fingerprint and collection match, or throws
/// <see cref="Errors.AlreadyExistsException"/> if they do not. Concurrent requests with one id create once.
/// </summary>
public sealed record IdempotencyKey(string RequestId, string Fingerprint);
