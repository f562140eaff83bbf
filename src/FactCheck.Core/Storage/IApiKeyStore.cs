using FactCheck.Core.Access;

namespace FactCheck.Core.Storage;

/// <summary>API keys, found by the SHA-256 of their secret (the secret itself is never stored). Writes are audited as
/// <see cref="IAuditStore"/> states.</summary>
public interface IApiKeyStore
{
    /// <summary>Throws <see cref="Errors.AlreadyExistsException"/> when the id or the secret is taken.</summary>
    Task<ApiKey> CreateApiKeyAsync(ApiKey key, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>The key with this secret hash, revoked or not, or null.</summary>
    Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, CancellationToken cancellationToken);

    /// <summary>In creation order (keys created within one microsecond: in insertion order).</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Sets RevokeTime (idempotent: revoking a revoked key changes nothing and audits nothing); NotFound if absent.</summary>
    Task<ApiKey> RevokeApiKeyAsync(string id, DateTimeOffset revokeTime, AuditContext audit, CancellationToken cancellationToken);
}
