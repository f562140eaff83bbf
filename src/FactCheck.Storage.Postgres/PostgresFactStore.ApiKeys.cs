using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Errors;
using Npgsql;
using static FactCheck.Core.Storage.StoredValues;
using static FactCheck.Storage.Postgres.PostgresCommands;
using static FactCheck.Storage.Postgres.Rows;

namespace FactCheck.Storage.Postgres;

/// <summary>API keys, by the SHA-256 of their secret.</summary>
public sealed partial class PostgresFactStore
{
    public Task<ApiKey> CreateApiKeyAsync(ApiKey key, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            var created = key with { CreateTime = Now(), RevokeTime = key.RevokeTime is { } revoked ? TruncateToMicros(revoked) : null };
            try
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO api_keys (id, principal, roles, secret_hash, description, create_time, revoke_time)
                    VALUES (@id, @principal, @roles, @secret_hash, @description, @create_time, @revoke_time)
                    """, cancellationToken, ApiKeyParameters(created));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new AlreadyExistsException(created.ResourceName, e.ConstraintName == "api_keys_pkey"
                    ? $"{created.ResourceName} already exists"
                    : "another API key has the same secret");
            }
            await AppendAuditAsync(connection, [Draft(audit, audit.Action, created.ResourceName, null, created)], cancellationToken);
            return created;
        }, cancellationToken);

    public async Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        (await QueryApiKeysAsync("WHERE secret_hash = @secret_hash", cancellationToken, ("secret_hash", secretHash))).SingleOrDefault();

    /// <summary>In creation order (keys created within one microsecond: in insertion order).</summary>
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(CancellationToken cancellationToken) =>
        await QueryApiKeysAsync("ORDER BY create_time, seq", cancellationToken);

    public Task<ApiKey> RevokeApiKeyAsync(string id, DateTimeOffset revokeTime, AuditContext audit, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            ApiKey? stored = null;
            await using (var command = connection.Command($"SELECT {ApiKeyColumns} FROM api_keys WHERE id = @id FOR NO KEY UPDATE", ("id", id)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                if (await reader.ReadAsync(cancellationToken)) stored = ReadApiKey(reader);
            if (stored is null) throw new NotFoundException(ApiKeyName(id));
            if (stored.RevokeTime is not null) return stored; // already revoked: nothing changes, nothing to audit

            var revoked = stored with { RevokeTime = TruncateToMicros(revokeTime) };
            await connection.ExecuteAsync("UPDATE api_keys SET revoke_time = @revoke_time WHERE id = @id", cancellationToken,
                ("revoke_time", revoked.RevokeTime), ("id", id));
            await AppendAuditAsync(connection, [Draft(audit, audit.Action, revoked.ResourceName, stored, revoked)], cancellationToken);
            return revoked;
        }, cancellationToken);

    private Task<List<ApiKey>> QueryApiKeysAsync(string whereAndOrder, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        ReadAsync(async connection =>
        {
            await using var command = connection.Command($"SELECT {ApiKeyColumns} FROM api_keys {whereAndOrder}", parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var keys = new List<ApiKey>();
            while (await reader.ReadAsync(cancellationToken)) keys.Add(ReadApiKey(reader));
            return keys;
        }, cancellationToken);

    private static string ApiKeyName(string id) => $"apiKeys/{id}";
}
