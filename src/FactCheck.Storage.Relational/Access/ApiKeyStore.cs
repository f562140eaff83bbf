using FactCheck.Core.Access;

namespace FactCheck.Storage.Relational.Access;

/// <summary>API keys, by the SHA-256 of their secret, in both databases.</summary>
public sealed class ApiKeyStore(RelationalDatabase database) : IApiKeyStore
{
    private const string Columns = "id, principal, roles, secret_hash, description, create_time, revoke_time";

    private readonly SqlDialect dialect = database.Dialect;

    public Task<ApiKey> CreateApiKeyAsync(ApiKey key, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var created = key with { CreateTime = session.Now(), RevokeTime = key.RevokeTime is { } revoked ? TruncateToMicros(revoked) : null };
            try
            {
                await session.ExecuteAsync(
                    """
                    INSERT INTO api_keys (id, principal, roles, secret_hash, description, create_time, revoke_time)
                    VALUES (@id, @principal, @roles, @secret_hash, @description, @create_time, @revoke_time)
                    """, cancellationToken, Parameters(created));
            }
            catch (StoreConflictException e)
            {
                // Ids and secrets are random: only a caller reusing one gets here.
                throw new AlreadyExistsException(created.ResourceName, e.Constraint?.Contains("secret", StringComparison.Ordinal) == true
                    ? "another API key has the same secret"
                    : $"{created.ResourceName} already exists");
            }
            await AuditAppender.AppendAsync(session, AuditAppender.Draft(audit, created.ResourceName, null, created), cancellationToken);
            return created;
        }, cancellationToken);

    public async Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE secret_hash = @secret_hash", cancellationToken, ("@secret_hash", secretHash))).SingleOrDefault();

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"ORDER BY create_time, {dialect.InsertionOrder}", cancellationToken);

    public Task<ApiKey> RevokeApiKeyAsync(string id, DateTimeOffset revokeTime, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var stored = (await session.QueryAsync($"SELECT {Columns} FROM api_keys WHERE id = @id {dialect.ForUpdate}", Read, cancellationToken,
                ("@id", id))).SingleOrDefault() ?? throw new NotFoundException($"apiKeys/{id}");
            if (stored.RevokeTime is not null) return stored; // revoked already: nothing changes, nothing is audited
            var revoked = stored with { RevokeTime = TruncateToMicros(revokeTime) };
            await session.ExecuteAsync("UPDATE api_keys SET revoke_time = @revoke_time WHERE id = @id", cancellationToken,
                ("@revoke_time", revoked.RevokeTime), ("@id", id));
            await AuditAppender.AppendAsync(session, AuditAppender.Draft(audit, revoked.ResourceName, stored, revoked), cancellationToken);
            return revoked;
        }, cancellationToken);

    private Task<List<ApiKey>> QueryAsync(string whereOrOrder, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        database.ReadAsync(session => session.QueryAsync($"SELECT {Columns} FROM api_keys {whereOrOrder}", Read, cancellationToken, parameters),
            cancellationToken);

    private static ApiKey Read(DbRow r) => new()
    {
        Id = r.String(0),
        Principal = r.String(1),
        Roles = (Roles)r.Int32(2),
        SecretHash = r.Bytes(3),
        Description = r.NullableString(4),
        CreateTime = r.Time(5),
        RevokeTime = r.NullableTime(6),
    };

    private static (string, object?)[] Parameters(ApiKey key) =>
    [
        ("@id", key.Id), ("@principal", key.Principal), ("@roles", (int)key.Roles), ("@secret_hash", key.SecretHash),
        ("@description", key.Description), ("@create_time", key.CreateTime), ("@revoke_time", key.RevokeTime),
    ];
}
