using System.Security.Cryptography;

namespace FactCheck.Storage.Relational.Installation;

/// <summary>Whether the database answers, and the installation secret, in both databases.</summary>
public sealed class InstallationStore(RelationalDatabase database) : IInstallationStore
{
    private const string SecretKey = "installation_secret";
    private byte[]? secret;

    public Task PingAsync(CancellationToken cancellationToken) => database.PingAsync(cancellationToken);

    public async Task<byte[]> GetInstallationSecretAsync(CancellationToken cancellationToken)
    {
        // Written once and never changed, so it is cached; callers get a copy they cannot alter the cache through.
        secret ??= await database.WriteAsync(async session =>
        {
            // Insert-or-ignore, then read: whichever instance got there first, every one returns the same secret.
            await session.ExecuteAsync("INSERT INTO installation (key, value) VALUES (@key, @value) ON CONFLICT DO NOTHING",
                cancellationToken, ("@key", SecretKey), ("@value", RandomNumberGenerator.GetBytes(32)));
            return (byte[])(await session.ScalarAsync("SELECT value FROM installation WHERE key = @key", cancellationToken, ("@key", SecretKey)))!;
        }, cancellationToken);
        return secret.ToArray();
    }
}
