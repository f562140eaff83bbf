namespace FactCheck.Core.Storage;

/// <summary>The database as a whole: whether it answers, and what is set once per installation.</summary>
public interface IInstallationStore
{
    /// <summary>One round trip to the database: throws when it cannot be reached (health checks).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>A random secret generated once per database and shared by every server instance on it
    /// (signs page tokens, so they survive restarts and work across instances).</summary>
    Task<byte[]> GetInstallationSecretAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="verifierKey"/> as the key the audit log is signed with, unless one is recorded
    /// already; returns the one recorded (the first instance to get there wins, as with the secret).</summary>
    Task<string> RecordAuditLogKeyAsync(string verifierKey, CancellationToken cancellationToken);
}
