using System.Security.Cryptography;
using System.Text;

namespace FactCheck.Storage.Relational.Installation;

/// <summary>Whether the database answers, and the installation secret, in both databases.</summary>
public sealed class InstallationStore(RelationalDatabase database) : IInstallationStore
{
    private const string SecretKey = "installation_secret";
    private const string AuditLogKey = "audit_log_verifier_key";
    private byte[]? secret;

    public Task PingAsync(CancellationToken cancellationToken) => database.PingAsync(cancellationToken);

    public async Task<byte[]> GetInstallationSecretAsync(CancellationToken cancellationToken)
    {
        // Written once and never changed, so it is cached; callers get a copy they cannot alter the cache through.
        secret ??= await SetOnceAsync(SecretKey, RandomNumberGenerator.GetBytes(32), cancellationToken);
        return secret.ToArray();
    }

    public async Task<string> RecordAuditLogKeyAsync(string verifierKey, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await SetOnceAsync(AuditLogKey, Encoding.UTF8.GetBytes(verifierKey), cancellationToken));

    /// <summary>Insert-or-ignore, then read: whichever instance got there first, every one returns the same value.</summary>
    private Task<byte[]> SetOnceAsync(string key, byte[] value, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await session.ExecuteAsync("INSERT INTO installation (key, value) VALUES (@key, @value) ON CONFLICT DO NOTHING",
                cancellationToken, ("@key", key), ("@value", value));
            return (byte[])(await session.ScalarAsync("SELECT value FROM installation WHERE key = @key", cancellationToken, ("@key", key)))!;
        }, cancellationToken);
}
